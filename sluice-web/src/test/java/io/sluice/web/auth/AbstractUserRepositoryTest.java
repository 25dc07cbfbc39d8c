package io.sluice.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.store.JdbcStore;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user repository's contract, run on every metadata database Sluice supports. */
abstract class AbstractUserRepositoryTest {
  JdbcStore store;
  UserRepository users;

  protected abstract JdbcStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
    store.reset();
    users = new UserRepository(store.dataSource(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void storesOnlyABcryptHashAndChecksPasswords() throws Exception {
    users.create("ada", "correct horse", Role.OP);
    try (var c = store.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery("SELECT password_hash FROM web_user WHERE username = 'ada'")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("$2a$").doesNotContain("correct horse");
    }
    assertThat(users.authenticate("ada", "correct horse")).map(User::role).contains(Role.OP);
    assertThat(users.authenticate("ada", "wrong horse")).isEmpty();
    assertThat(users.authenticate("nobody", "correct horse")).isEmpty();
    assertThat(users.find("ada").orElseThrow().lastLoginAt()).isNotNull();
  }

  @Test
  void refusesDuplicatesShortPasswordsAndOddNames() {
    users.create("ada", "correct horse", Role.VIEWER);
    assertThatThrownBy(() -> users.create("ada", "another pass", Role.ADMIN))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> users.create("bob", "short", Role.VIEWER))
        .hasMessageContaining("8 characters");
    assertThatThrownBy(() -> users.create("bob smith", "long enough", Role.VIEWER))
        .hasMessageContaining("user name");
    assertThat(users.count()).isEqualTo(1);
  }

  @Test
  void keepsTheProfileAirflowsUsersCreateRecords() {
    users.create(
        "ada", "correct horse", Role.ADMIN, new UserRepository.Profile("Ada", "Lovelace", "a@x"));
    users.create("bob", "correct horse", Role.VIEWER);
    assertThat(users.profile("ada"))
        .isEqualTo(new UserRepository.Profile("Ada", "Lovelace", "a@x"));
    assertThat(users.profile("bob")).isEqualTo(UserRepository.Profile.NONE);
  }

  @Test
  void passwordChangeInvalidatesTheOldPassword() {
    users.create("ada", "correct horse", Role.OP);
    assertThat(users.authenticate("ada", "correct horse")).isPresent();
    users.setPassword("ada", "battery staple");
    assertThat(users.authenticate("ada", "correct horse")).isEmpty();
    assertThat(users.authenticate("ada", "battery staple")).isPresent();
  }

  @Test
  void apiTokensAuthenticateUntilRevokedAndDieWithTheirUser() {
    users.create("ada", "correct horse", Role.ADMIN);
    UserRepository.NewToken t = users.createToken("ada", "ci");
    assertThat(users.authenticateToken(t.token())).map(User::username).contains("ada");
    assertThat(users.authenticateToken(t.token() + "x")).isEmpty();
    assertThat(users.tokens("ada"))
        .singleElement()
        .satisfies(x -> assertThat(x.lastUsedAt()).isNotNull());
    UserRepository.NewToken t2 = users.createToken("ada", "other");
    assertThat(users.deleteToken("ada", t.info().tokenId())).isTrue();
    assertThat(users.authenticateToken(t.token())).isEmpty();
    users.delete("ada");
    assertThat(users.authenticateToken(t2.token())).isEmpty();
    assertThat(users.tokens("ada")).isEmpty();
  }

  @Test
  void firstAdminIsCreatedOnceWithTheConfiguredPassword() {
    var out = new java.io.ByteArrayOutputStream();
    var print = new java.io.PrintStream(out, true);
    users.create("early", "created before the first start", Role.OP);
    assertThat(AdminBootstrap.ensureAdmin(users, java.util.Optional.of("from-env-pw"), print))
        .isEmpty();
    assertThat(users.authenticate("admin", "from-env-pw")).map(User::role).contains(Role.ADMIN);
    assertThat(out.toString()).doesNotContain("from-env-pw");
    assertThat(AdminBootstrap.ensureAdmin(users, java.util.Optional.empty(), print)).isEmpty();
    assertThat(users.count()).isEqualTo(2);
  }
}
