package io.sluice.cli.meta;

import io.sluice.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads import files and writes export files, which hold real secrets: owner-only, never stdout.
 */
final class ExportFile {
  private ExportFile() {}

  static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the " + what + " file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Writes {@code content} to {@code file}, readable by its owner only where the file system can.
   */
  static void write(Path file, String content, String what) {
    if (file.toString().equals("-"))
      throw new CliException(
          "give a file: an export of " + what + " holds real secrets, which are never printed", 2);
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".export", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // why: a non-POSIX file system keeps its default permissions
      }
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
