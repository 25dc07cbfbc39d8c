package io.sluice.core.service;

import io.sluice.api.Connection;
import java.util.List;
import java.util.Optional;

/** Where connections are stored, decrypted on read and encrypted at rest by the implementation. */
public interface ConnectionRepository {
  /** Every stored connection, by id. */
  List<Connection> list();

  Optional<Connection> find(String connId);

  Optional<String> description(String connId);

  /** Adds or replaces a connection. */
  void put(Connection c, String description);
}
