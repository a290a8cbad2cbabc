package dev.lifeboat.app.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a configuration file from disk, or, when no such file exists, the built-in one of that name. */
public final class FileOrResourceSourceProvider implements ConfigurationSourceProvider {
  @Override
  public InputStream open(String path) throws IOException {
    Path file = Path.of(path);
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    InputStream resource = getClass().getClassLoader().getResourceAsStream(path);
    if (resource == null) {
      throw new FileNotFoundException("no configuration file " + file.toAbsolutePath()
          + " (and no built-in one of that name): pass an existing file, or none for the built-in lifeboat.yml");
    }
    return resource;
  }
}
