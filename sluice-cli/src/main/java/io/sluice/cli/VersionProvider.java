package io.sluice.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so that {@code --version} matches the build. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = SluiceCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "sluice " + (v == null ? "development build" : v),
      "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
