package io.sluice.cli;

/** How listings are printed. */
public enum OutputFormat {
  table,
  json
}
