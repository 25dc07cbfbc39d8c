package io.sluice.core.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM writes its archive on request, and the next one loads its classes from it. */
class ClassArchiveIT {
  @TempDir Path dir;

  /** The child: dumps its archive when started to, then prints what it did. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.println("dumped: " + ClassArchive.dumpNow().map(Path::toString).orElse("none"));
    }
  }

  @Test
  void aJvmDumpsItsArchiveOnRequestAndTheNextOneMapsIt() throws Exception {
    Path jar = childJar();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> options = List.of("-Xmx64m", "-XX:+UseSerialGC");
    Path cache = Files.createDirectories(dir.resolve("cds"));

    ClassArchive first = ClassArchive.of(cache, "child", java, options, List.of(jar.toString()));
    String out = run(java, options, first.dumpOnRequestFlags(), jar);
    assertThat(out).contains("dumped: " + first.file());
    assertThat(first.file()).isNotEmptyFile();

    ClassArchive next = ClassArchive.of(cache, "child", java, options, List.of(jar.toString()));
    assertThat(next.exists()).isTrue();
    List<String> flags = new ArrayList<>(next.dumpOnRequestFlags());
    flags.add("-Xlog:class+load=info");
    String mapped = run(java, options, flags, jar);
    assertThat(mapped)
        .contains("dumped: none")
        .containsPattern(
            "io\\.sluice\\.core\\.jvm\\.ClassArchive source: shared objects file \\(top\\)");
    try (var files = Files.list(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".tmp")).toList()).isEmpty();
    }
  }

  private static String run(String java, List<String> options, List<String> flags, Path jar)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.addAll(flags);
    command.addAll(List.of("-cp", jar.toString(), Child.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  /** A jar of the child and the archive's class: a dump refuses class directories. */
  private Path childJar() throws IOException {
    Path jar = dir.resolve("child.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> c : List.of(ClassArchive.class, Child.class)) {
        String name = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
          out.putNextEntry(new JarEntry(name));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
