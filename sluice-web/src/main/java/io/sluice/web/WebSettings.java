package io.sluice.web;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import java.util.List;

/** The web server's settings: where it listens, and the first admin user's password. */
public final class WebSettings implements ModuleSettings {
  public static final ConfigKey<String> WEB_HOST =
      ConfigKey.builder("web.host", "SLUICE_WEB_HOST")
          .defaultValue("127.0.0.1")
          .description(
              "Address the web UI and REST API listen on; 0.0.0.0 exposes them to the network.")
          .string();

  public static final ConfigKey<Integer> WEB_PORT =
      ConfigKey.builder("web.port", "SLUICE_WEB_PORT")
          .defaultValue("8080")
          .description("Port of the web UI and REST API.")
          .port();

  public static final ConfigKey<String> ADMIN_PASSWORD =
      ConfigKey.builder("web.admin-password", "SLUICE_ADMIN_PASSWORD")
          .description("Password of the first admin user. Empty: generated and printed once.")
          .secret()
          .string();

  @Override
  public List<ConfigKey<?>> keys() {
    return ModuleSettings.declaredIn(WebSettings.class);
  }
}
