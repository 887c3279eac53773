package ai.treum.gitops.core.redact;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes credentials from values before they reach a log, an event, a metric or a page. */
public final class Redactions {

    public static final String REDACTED = "***";
    /** A field path of a Secret as the API server names one: .data.password, stringData[token]. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?<![A-Za-z0-9])\\.?((?:data|stringData)(?:\\.[A-Za-z0-9_.-]+|\\[[A-Za-z0-9_.-]+])?)(?![A-Za-z0-9])");
    /** Where such a message quotes a value: "...", or Go's {Value:...}. */
    private static final Pattern QUOTED_VALUE = Pattern.compile("\"[^\"]*\"|Value:[^}]*}");

    private static final Pattern URL_IN_TEXT = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s'\"<>]+");

    private Redactions() {
    }

    /**
     * A URL without its user-info and with every query value masked: both are where tokens
     * travel ({@code https://x-access-token:TOKEN@host/repo.git}, {@code ?X-Amz-Signature=...}).
     * Text that is not a URL is masked whole, since it cannot be shown to be harmless.
     */
    public static String url(String value) {
        if (value == null || value.isBlank()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getRawSchemeSpecificPart().isEmpty()) {
                return value.contains(":") || value.contains("@") ? REDACTED : value;
            }
            if (uri.isOpaque()) {
                return uri.getScheme() + ":" + REDACTED;
            }
            StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
            if (uri.getHost() != null) {
                out.append(uri.getHost());
                if (uri.getPort() >= 0) {
                    out.append(':').append(uri.getPort());
                }
            } else if (uri.getRawAuthority() != null) {
                out.append(REDACTED);
            }
            out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                out.append('?').append(maskQuery(uri.getRawQuery()));
            }
            return out.toString();
        } catch (URISyntaxException e) {
            return REDACTED;
        }
    }

    /** Text with every URL in it passed through {@link #url}: for error messages that quote an address. */
    public static String urlsIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = URL_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(url(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * What the API server said of a Secret it refused, without its words: a typed-patch or
     * validation message may quote the value it choked on. Only the field paths it named remain.
     */
    public static String secretRefusal(String message) {
        Set<String> fields = new TreeSet<>();
        String unquoted = QUOTED_VALUE.matcher(message == null ? "" : message).replaceAll(" ");
        Matcher matcher = SECRET_FIELD.matcher(unquoted);
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return "the API server refused the Secret" + (fields.isEmpty() ? "" : " at " + String.join(", ", fields))
                + " (its message is not repeated: it may quote a value)";
    }

    private static String maskQuery(String rawQuery) {
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            out.append(eq < 0 ? pair : pair.substring(0, eq + 1) + REDACTED);
        }
        return out.toString();
    }
}
