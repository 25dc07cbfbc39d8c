package io.sluice.core.service;

import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;

/**
 * An extra service {@code sluice standalone} starts next to the scheduler, such as the web server.
 * Implementations are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.sluice.core.service.StandaloneService}).
 *
 * <p>{@link #start} is called once on the main thread after the scheduler started; it must return
 * promptly (start its own threads). An exception stops {@code standalone} with that message. The
 * returned handle is closed on shutdown, before the scheduler stops.
 */
public interface StandaloneService {
  /** A short name for logs ({@code web}). */
  String name();

  AutoCloseable start(SluiceConfig config, EngineLoop scheduler) throws Exception;
}
