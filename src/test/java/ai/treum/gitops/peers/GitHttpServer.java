package ai.treum.gitops.peers;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.FileResolver;

/**
 * A Git host over real smart HTTP on loopback: JGit's {@link GitServlet} in Jetty, serving the
 * bare repositories under one folder at {@code http://127.0.0.1:PORT/git/NAME.git}, push allowed.
 */
public final class GitHttpServer implements AutoCloseable {

    private final Path root;
    private final Server server;

    private GitHttpServer(Path root, Server server) {
        this.root = root;
        this.server = server;
    }

    public static GitHttpServer start(Path root) throws Exception {
        return start(root, null);
    }

    /**
     * With a token, every request must carry HTTP Basic credentials whose password is that token,
     * as GitHub, GitLab and Gitea accept them; anything else gets 401.
     */
    public static GitHttpServer start(Path root, String token) throws Exception {
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver(new FileResolver<>(root.toFile(), true));
        // the default factory refuses anonymous pushes; this server stands in for an authorised host
        servlet.setReceivePackFactory((request, repository) -> new ReceivePack(repository));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/git/*");
        if (token != null) {
            context.addFilter(new FilterHolder(new TokenFilter(token)), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        return new GitHttpServer(root, server);
    }

    /** Creates an empty bare repository and returns its clone URL. */
    public URI createRepository(String name) throws IOException, GitAPIException {
        Path dir = root.resolve(name + ".git");
        Files.createDirectories(dir);
        try (Git ignored = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
            return url(name);
        }
    }

    /** Opens a served repository directly on disk, to see what a push left there. */
    public Repository open(String name) throws IOException {
        return Git.open(root.resolve(name + ".git").toFile()).getRepository();
    }

    public URI url(String name) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                + "/git/" + name + ".git");
    }

    private static final class TokenFilter implements Filter {

        private final String token;

        TokenFilter(String token) {
            this.token = token;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            String header = ((HttpServletRequest) request).getHeader("Authorization");
            String password = null;
            if (header != null && header.startsWith("Basic ")) {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
                password = decoded.substring(decoded.indexOf(':') + 1);
            }
            if (!token.equals(password)) {
                HttpServletResponse http = (HttpServletResponse) response;
                http.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                http.sendError(401);
                return;
            }
            chain.doFilter(request, response);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
