package ai.treum.gitops.core.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * YAML as manifests need it: no aliases and no anchors, on mappings, lists and single values
 * alike. Kubernetes manifests never need them, and the tree reader would take an alias
 * ({@code image: *img}) for the bare text {@code img}. They are refused as the parser meets them,
 * with the line, before any value is read: the tree reader drops the anchor of a single value, so
 * the check sits on the parser's events rather than its tokens.
 */
final class PlainYaml extends YAMLFactory {

    PlainYaml() {
        enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    @Override
    protected YAMLParser _createParser(Reader reader, IOContext context) {
        return new Parser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
    }

    /** YAML the loader refuses to read on, with the rule and the line. */
    static final class Refused extends JsonProcessingException {

        final int line;
        final String rule;
        final String reason;

        Refused(JsonParser parser, int line, String rule, String reason) {
            super(reason, parser.currentTokenLocation());
            this.line = line;
            this.rule = rule;
            this.reason = reason;
        }
    }

    private static final class Parser extends YAMLParser {

        Parser(IOContext context, int features, int yamlFeatures, org.yaml.snakeyaml.LoaderOptions options,
                com.fasterxml.jackson.core.ObjectCodec codec, Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        @Override
        protected Event getEvent() throws IOException {
            Event event = super.getEvent();
            if (event instanceof AliasEvent alias) {
                throw new Refused(this, line(event), "yaml-alias", "an alias (*" + alias.getAnchor()
                        + ") is not allowed: write the value out");
            }
            if (event instanceof NodeEvent node && node.getAnchor() != null) {
                throw new Refused(this, line(event), "yaml-anchor", "an anchor (&" + node.getAnchor()
                        + ") is not allowed: manifests are plain YAML");
            }
            return event;
        }

        private static int line(Event event) {
            return event.getStartMark() == null ? 1 : event.getStartMark().getLine() + 1;
        }
    }
}
