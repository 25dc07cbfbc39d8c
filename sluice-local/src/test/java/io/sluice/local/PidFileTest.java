package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
  @TempDir Path dataDir;

  @Test
  void findsTheLiveProcessItNames() {
    PidFile file = PidFile.stack(dataDir);
    long self = ProcessHandle.current().pid();

    file.write(self);

    assertThat(file.path()).isEqualTo(dataDir.resolve("run/stack.pid"));
    assertThat(file.liveProcess()).map(ProcessHandle::pid).contains(self);
  }

  @Test
  void aMissingOrGarbledFileNamesNoProcess() throws Exception {
    PidFile file = PidFile.cassandra(dataDir);
    assertThat(file.liveProcess()).isEmpty();

    Files.createDirectories(file.path().getParent());
    Files.writeString(file.path(), "not a pid");
    assertThat(file.liveProcess()).isEmpty();
  }

  @Test
  void onlyTheOwnerDeletesTheFile() {
    PidFile file = PidFile.stack(dataDir);
    file.write(42);

    file.deleteIfOwnedBy(43);
    assertThat(file.path()).exists();

    file.deleteIfOwnedBy(42);
    assertThat(file.path()).doesNotExist();
  }
}
