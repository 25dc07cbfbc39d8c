package io.sluice.api;

/**
 * The log of one task try. Lines are stored in the metadata database per try and can be read back
 * ({@code sluice tasks logs}, the web UI). Thread-safe; writes never block on the database for
 * long.
 */
public interface TaskLog {
  /** Appends one line as written. */
  void line(String text);

  /** Appends a line; {@code {}} placeholders are replaced by the arguments, as in SLF4J. */
  default void info(String format, Object... args) {
    line("INFO " + format(format, args));
  }

  default void warn(String format, Object... args) {
    line("WARN " + format(format, args));
  }

  default void error(String message, Throwable error) {
    line("ERROR " + message + (error == null ? "" : ": " + error));
  }

  static String format(String format, Object... args) {
    if (args == null || args.length == 0) return format;
    StringBuilder sb = new StringBuilder();
    int arg = 0;
    int i = 0;
    while (i < format.length()) {
      if (arg < args.length && format.startsWith("{}", i)) {
        sb.append(args[arg++]);
        i += 2;
      } else {
        sb.append(format.charAt(i++));
      }
    }
    return sb.toString();
  }
}
