package org.elves.center.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.elves.center.common.GrowingPool;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The center's HTTP server (OpenAPI, the Supervisor's packages and admin page): camel-platform-http's
 * Vert.x server with the limits and answers the API needs. Camel builds its server with Vert.x's
 * default options (4 KiB request line, 8 KiB headers) and Vert.x's bare 400 for a request it
 * cannot parse, and offers no setting for either; this subclass only replaces how the server is
 * listened on, everything else (router, body handler, the consumers) stays Camel's.
 */
public final class CenterHttpServer extends VertxPlatformHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(CenterHttpServer.class);
    private static final long LISTEN_TIMEOUT_S = 30;
    /** Longer than any task may run: Vert.x must not call a waiting realtime call blocked. */
    private static final long MAX_CALL_HOURS = 24;

    private final VertxPlatformHttpServerConfiguration configuration;
    private final HttpLimits limits;
    private final String host;
    private final int port;
    private volatile HttpServer listening;
    private volatile Vertx ownVertx;

    private CenterHttpServer(VertxPlatformHttpServerConfiguration configuration, HttpLimits limits) {
        super(configuration);
        this.configuration = configuration;
        this.limits = limits;
        this.host = configuration.getBindHost();
        this.port = configuration.getBindPort();
    }

    /** The server on host:port with the limits of {@code elves.http.*}. */
    public static CenterHttpServer of(ElvesConfig config, String host, int port) {
        HttpLimits limits = HttpLimits.of(config);
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        configuration.setMaxBodySize(limits.maxBodyBytes());
        return new CenterHttpServer(configuration, limits);
    }

    /**
     * Binds it (platform-http's consumers find their port through the bound configuration, and
     * are created before services start) and lets the context start and stop it.
     */
    public void addTo(CamelContext context) {
        context.getRegistry().bind("elvesHttpServerConfiguration", configuration);
        try {
            context.addService(this);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the HTTP server to the context", e);
        }
    }

    @Override
    protected void startServer() throws Exception {
        Router router = VertxPlatformHttpRouter.lookup(getCamelContext(), VertxPlatformHttpRouter.getRouterNameFromPort(port));
        HttpErrorEnvelopes.install(router, limits);
        // No upgrade to cleartext HTTP/2 (Vert.x's default): with it, one answer in a few hundred
        // larger than 64 KiB (the API's document, an app package) reached the JDK's client, which
        // asks for the upgrade by default, as bytes it read as malformed frames. Clients of the
        // original speak HTTP/1.1; they are answered in it, the Upgrade header ignored.
        HttpServerOptions options = new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(limits.maxLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxFormAttributeSize(limits.maxFormFieldBytes());
        HttpServer server = getVertx().createHttpServer(options)
                .invalidRequestHandler(HttpErrorEnvelopes::invalid)
                .requestHandler(router);
        listening = server.listen(port, host).toCompletionStage().toCompletableFuture()
                .get(LISTEN_TIMEOUT_S, TimeUnit.SECONDS);
        LOG.info("HTTP server listening on {}:{}", host, listening.actualPort());
    }

    @Override
    protected void stopServer() {
        HttpServer server = listening;
        listening = null;
        if (server == null) {
            return;
        }
        // as Camel's own server does: a context started again binds a new router to a new component
        getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
        try {
            server.close().toCompletionStage().toCompletableFuture().get(LISTEN_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
    }

    /**
     * Camel runs each request's route on a Vert.x worker thread and holds it until the answer (a
     * realtime call: the whole task), so the worker pool bounds the calls served at once; Vert.x's
     * default of 20 would queue the 21st caller behind the others, and its blocked-thread checker
     * would log a stack trace for every call longer than 60 s.
     */
    @Override
    protected Vertx createVertxInstance() {
        VertxOptions options = new VertxOptions()
                .setWorkerPoolSize(limits.workerThreads())
                .setMaxWorkerExecuteTime(MAX_CALL_HOURS)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.HOURS);
        // Vert.x's own worker pool is a fixed one: threads only when all are busy instead
        ownVertx = new VertxBuilder(options)
                .executorServiceFactory((threads, concurrency, maxConcurrency) -> GrowingPool.create(maxConcurrency, threads))
                .init()
                .vertx();
        return ownVertx;
    }

    /** Closes the Vert.x this server made (Camel's own leaves it running, with its threads). */
    @Override
    protected void stopVertx() {
        Vertx vertx = ownVertx;
        ownVertx = null;
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(LISTEN_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }

    @Override
    public HttpServer getServer() {
        return listening;
    }
}
