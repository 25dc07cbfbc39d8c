package io.sluice.web.auth;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Creates the {@code admin} user when no user has the admin role (the first start, even when {@code
 * sluice users create} added other users before). There is no default password: the configured one
 * ({@code SLUICE_ADMIN_PASSWORD}) is used, or a random one is generated and printed once.
 */
public final class AdminBootstrap {
  private AdminBootstrap() {}

  /**
   * Creates {@code admin} when there is no admin.
   *
   * @return the generated password, when one was generated (already printed to {@code out})
   */
  public static Optional<String> ensureAdmin(
      UserRepository users, Optional<String> configuredPassword, PrintStream out) {
    if (users.list().stream().anyMatch(u -> u.role() == Role.ADMIN)) return Optional.empty();
    if (users.find("admin").isPresent()) return Optional.empty(); // why: demoted on purpose
    boolean generated = configuredPassword.filter(p -> !p.isBlank()).isEmpty();
    String password = generated ? Passwords.generate(20) : configuredPassword.get();
    try {
      users.create("admin", password, Role.ADMIN);
    } catch (IllegalArgumentException e) {
      if (users.find("admin").isPresent()) return Optional.empty(); // why: another process won
      throw e;
    }
    if (!generated) {
      out.println("Created user 'admin' with the password from SLUICE_ADMIN_PASSWORD.");
      return Optional.empty();
    }
    out.println();
    out.println("Created user 'admin' with the generated password (shown only once):");
    out.println();
    out.println("    " + password);
    out.println();
    out.println("Change it with: sluice users reset-password --username admin");
    out.println();
    out.flush();
    return Optional.of(password);
  }
}
