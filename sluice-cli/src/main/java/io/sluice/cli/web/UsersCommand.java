package io.sluice.cli.web;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import io.sluice.web.auth.Audit;
import io.sluice.web.auth.Passwords;
import io.sluice.web.auth.Role;
import io.sluice.web.auth.User;
import io.sluice.web.auth.UserRepository;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice users create | list | delete | reset-password}: web and API users. Passwords are
 * read from the terminal (not echoed) or from stdin; {@code users create} also takes Airflow's
 * {@code --password} (with a warning) and {@code --use-random-password}.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Manage the users of the web UI and REST API.",
    subcommands = {
      UsersCommand.Create.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Delete.class,
      UsersCommand.ResetPassword.class
    })
public final class UsersCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static <T> T withUsers(Function<UserRepository, T> work) {
    SluiceConfig config = SluiceConfig.load();
    try (JdbcStore store = MetadataDatabases.open(config, 2)) {
      store.migrate();
      return work.apply(new UserRepository(store.dataSource(), Clock.systemUTC()));
    }
  }

  /** Reads a password: prompted twice on a terminal, else the first line of stdin. */
  static String readPassword(String username) {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", username);
      char[] second = console.readPassword("Repeat the password: ");
      if (first == null || second == null) throw new CliException("no password given");
      if (!java.util.Arrays.equals(first, second)) throw new CliException("the passwords differ");
      return new String(first);
    }
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty())
        throw new CliException(
            "no password on stdin (pipe it in: echo \"$PW\" | sluice users ...)");
      return line;
    } catch (IOException e) {
      throw new CliException("cannot read the password from stdin: " + e.getMessage());
    }
  }

  static void validate(String password) {
    try {
      Passwords.validate(password);
    } catch (IllegalArgumentException e) {
      throw new CliException("password refused by the password rule: " + e.getMessage(), 2);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a user, with Airflow's flags. The password is prompted for, read from stdin,"
            + " generated (--use-random-password) or given with --password (visible to other"
            + " processes).",
        "Roles: admin, op, viewer, in any case (Airflow's Admin, Op, Viewer)."
      })
  static final class Create implements Callable<Integer> {
    @Option(names = "--username", required = true, description = "User name")
    String username;

    @Option(names = "--role", required = true, description = "admin, op or viewer, in any case")
    String role;

    @Option(names = "--firstname", description = "First name")
    String firstName;

    @Option(names = "--lastname", description = "Last name")
    String lastName;

    @Option(names = "--email", description = "E-mail address")
    String email;

    @Option(
        names = "--password",
        description =
            "The password, on the command line: other processes can read it; prefer the prompt or"
                + " stdin")
    String password;

    @Option(names = "--use-random-password", description = "Generate a password and print it once")
    boolean randomPassword;

    @Override
    public Integer call() {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), 2);
      }
      if (password != null && randomPassword)
        throw new CliException("give --password or --use-random-password, not both", 2);
      String pw = password();
      validate(pw);
      UserRepository.Profile profile = new UserRepository.Profile(firstName, lastName, email);
      User u =
          withUsers(
              users -> {
                try {
                  return users.create(username, pw, r, profile);
                } catch (IllegalArgumentException e) {
                  throw new CliException(e.getMessage());
                }
              });
      Audit.command("users create role=" + u.role().id(), u.username());
      System.out.println("created user '" + u.username() + "' with role " + u.role().id());
      if (randomPassword) System.out.println("password: " + pw);
      return 0;
    }

    private String password() {
      if (randomPassword) return Passwords.generate(20);
      if (password == null) return readPassword(username);
      System.err.println(
          "warning: a password given with --password is visible to other processes (ps, shell"
              + " history); prefer the prompt, stdin or --use-random-password");
      return password;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers implements Callable<Integer> {
    @Option(
        names = "--output",
        defaultValue = "table",
        description = "table or json (default: ${DEFAULT-VALUE})")
    OutputFormat output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      Map<String, UserRepository.Profile> profiles = new LinkedHashMap<>();
      List<User> all =
          withUsers(
              users -> {
                List<User> list = users.list();
                for (User u : list) profiles.put(u.username(), users.profile(u.username()));
                return list;
              });
      for (User u : all) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("username", u.username());
        row.put("role", u.role().id());
        row.put("email", profiles.get(u.username()).email());
        row.put("created_on", u.createdAt());
        row.put("last_login", u.lastLoginAt());
        rows.add(row);
      }
      Output.print(output, rows, List.of("username", "role", "email", "created_on", "last_login"));
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user.")
  static final class Delete implements Callable<Integer> {
    @Option(names = "--username", required = true)
    String username;

    @Override
    public Integer call() {
      if (!withUsers(users -> users.delete(username)))
        throw new CliException("no user '" + username + "'");
      Audit.command("users delete", username);
      System.out.println("deleted user '" + username + "'");
      return 0;
    }
  }

  @Command(
      name = "reset-password",
      mixinStandardHelpOptions = true,
      description = "Set a user's password; prompted for, or read from stdin.")
  static final class ResetPassword implements Callable<Integer> {
    @Option(names = "--username", required = true)
    String username;

    @Override
    public Integer call() {
      String password = readPassword(username);
      validate(password);
      if (!withUsers(users -> users.setPassword(username, password)))
        throw new CliException("no user '" + username + "'");
      Audit.command("users reset-password", username);
      System.out.println("password of '" + username + "' changed");
      return 0;
    }
  }
}
