package io.sluice.cli.orchestrator;

import io.sluice.cli.Lifecycle;
import io.sluice.core.config.SluiceConfig;
import io.sluice.web.WebServer;
import io.sluice.web.WebSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice webserver}: the web UI, REST API and metrics against the configured metadata
 * database, until stopped, over the services {@link Orchestrator} composes for it (no engine).
 * Triggers and clears are written to the database for {@code sluice scheduler} to run.
 */
@Command(
    name = "webserver",
    mixinStandardHelpOptions = true,
    description = {
      "Run the web UI, the REST API (/api/v1) and /metrics on SLUICE_WEB_PORT (default 8080).",
      "The first start creates the user 'admin' with a generated password, printed once",
      "(SLUICE_ADMIN_PASSWORD sets it instead)."
    })
public final class WebserverCommand implements Runnable {
  @Option(
      names = {"-p", "--port"},
      description = "Port to listen on (default: SLUICE_WEB_PORT, 8080)")
  Integer port;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    if (port != null) config = config.with(WebSettings.WEB_PORT, port.toString(), "--port");
    Orchestrator o = Orchestrator.forWebServer(config);
    WebServer web;
    try {
      web = o.startWebServer();
    } catch (RuntimeException e) {
      o.close();
      throw e;
    }
    Lifecycle life = new Lifecycle(null);
    life.add(o);
    life.add(web);
    System.err.println(
        "web UI and REST API on http://127.0.0.1:"
            + web.port()
            + "/ (metadata "
            + o.store.describe()
            + ")");
    life.awaitStop();
  }
}
