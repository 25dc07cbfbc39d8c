package io.sluice.cli.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceProcess;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice schemas} as a user runs it, against the local stack's registry. */
@SluiceStackTest(services = Service.SCHEMA_REGISTRY)
class SchemasCommandIT {
  private final LocalStack stack;
  @TempDir Path dir;

  SchemasCommandIT(LocalStack stack) {
    this.stack = stack;
  }

  private Result sluice(String... args) throws Exception {
    return new SluiceProcess(dir)
        .env("SLUICE_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl())
        .env("SLUICE_DATA_DIR", dir.toString())
        .run(args);
  }

  private Path avsc(String name, String extraField) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}"
            + extraField
            + "]}");
  }

  @Test
  void registersChecksListsAndDeletesASubject() throws Exception {
    Path v1 = avsc("v1.avsc", "");
    Path v2 =
        avsc("v2.avsc", ",{\"name\":\"unit\",\"type\":[\"null\",\"string\"],\"default\":null}");
    Path bad = avsc("bad.avsc", ",{\"name\":\"celsius\",\"type\":\"double\"}");

    Result registered = sluice("schemas", "register", "readings-value", v1.toString());
    assertThat(registered.exit()).as(registered.err()).isZero();
    assertThat(registered.out()).contains("registered readings-value version 1, id ");
    assertThat(sluice("schemas", "register", "readings-value", v2.toString()).out())
        .contains("version 2");

    Result ok = sluice("schemas", "check", "readings-value", v2.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("is compatible with readings-value (BACKWARD)");
    Result refused = sluice("schemas", "check", "readings-value", bad.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("incompatible", "celsius", "READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(sluice("schemas", "config", "readings-value", "--level", "full").out())
        .contains("readings-value: FULL");
    assertThat(sluice("schemas", "list").out())
        .containsPattern("readings-value\\s+\\[1, 2\\]\\s+\\d+\\s+FULL");
    assertThat(sluice("schemas", "get", "readings-value", "--version", "1").out())
        .contains("readings-value version 1", "\"name\" : \"id\"")
        .doesNotContain("unit");

    assertThat(sluice("schemas", "delete", "readings-value").out())
        .contains("soft-deleted readings-value versions [1, 2]");
    assertThat(sluice("schemas", "delete", "readings-value", "--permanent").out())
        .contains("permanently deleted readings-value versions [1, 2]");
  }
}
