package io.sluice.web;

import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.service.StandaloneService;

/** Starts the web server inside {@code sluice standalone}, next to its scheduler. */
public final class WebStandaloneService implements StandaloneService {
  @Override
  public String name() {
    return "web";
  }

  @Override
  public AutoCloseable start(SluiceConfig config, EngineLoop scheduler) {
    WebServer web = WebServer.start(config, scheduler.runs(), scheduler);
    System.err.println("web UI and REST API on http://127.0.0.1:" + web.port() + "/");
    return web;
  }
}
