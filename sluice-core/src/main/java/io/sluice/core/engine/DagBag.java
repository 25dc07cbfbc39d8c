package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.DagProvider;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.ImportError;
import io.sluice.core.schedule.Timetable;
import io.sluice.core.schedule.Timetables;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.yaml.DagFileException;
import io.sluice.core.yaml.YamlDagLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The DAGs the scheduler knows: compiled DAGs (added once, never re-parsed) and the YAML files of a
 * folder, reloaded when they change. A broken file becomes an import error of that file only; the
 * other DAGs are unaffected. Thread-safe: readers see a consistent snapshot.
 */
public final class DagBag {
  /** A loaded DAG with its parsed schedule. */
  public record Entry(Dag dag, Timetable timetable) {
    /** The DAG's row in the metadata database (unpaused unless stored otherwise). */
    public DagRecord record(Instant parsedAt) {
      return new DagRecord(
          dag.dagId(), false, scheduleText(), dag.description(), dag.source(), true, parsedAt);
    }

    /** The schedule as listings show it, with its time zone unless UTC; {@code None} if manual. */
    public String scheduleText() {
      if (dag.schedule() == null) return "None";
      String zone = dag.timezone().getId();
      return zone.equals("Z") || zone.equals("UTC")
          ? dag.schedule()
          : dag.schedule() + " (" + zone + ")";
    }
  }

  private record FileState(long modified, long size, List<Dag> dags, List<ImportError> errors) {}

  private final Clock clock;
  private final Path folder;
  private final YamlDagLoader loader;
  private final Map<String, List<Dag>> staticDags = new LinkedHashMap<>();
  private final Map<String, List<ImportError>> staticErrors = new LinkedHashMap<>();
  private final Map<Path, FileState> files = new LinkedHashMap<>();
  private volatile Map<String, Entry> snapshot = Map.of();
  private volatile List<ImportError> errors = List.of();

  /**
   * @param folder the YAML DAG folder, or null for none
   */
  public DagBag(Path folder, TaskTypeRegistry types, Clock clock) {
    this.folder = folder;
    this.loader = new YamlDagLoader(types);
    this.clock = clock;
  }

  /** A bag of the given DAGs only. */
  public static DagBag of(Clock clock, Dag... dags) {
    DagBag bag = new DagBag(null, new TaskTypeRegistry(), clock);
    for (Dag d : dags) bag.add(d);
    return bag;
  }

  /** Adds compiled DAGs from every {@link DagProvider} on the class path. */
  public synchronized DagBag loadProviders(ClassLoader classLoader) {
    for (var provider : ServiceLoader.load(DagProvider.class, classLoader).stream().toList()) {
      String source = provider.type().getName();
      try {
        staticDags.put(source, List.copyOf(provider.get().dags()));
        staticErrors.remove(source);
      } catch (RuntimeException | java.util.ServiceConfigurationError e) {
        staticErrors.put(
            source,
            List.of(new ImportError(source, 0, String.valueOf(e.getMessage()), clock.instant())));
      }
    }
    rebuild();
    return this;
  }

  /** Adds one compiled DAG. */
  public synchronized DagBag add(Dag dag) {
    String source = dag.source().isEmpty() ? "java:" + dag.dagId() : dag.source();
    staticDags.computeIfAbsent(source, k -> new ArrayList<>());
    List<Dag> list = new ArrayList<>(staticDags.get(source));
    list.removeIf(d -> d.dagId().equals(dag.dagId()));
    list.add(dag);
    staticDags.put(source, list);
    rebuild();
    return this;
  }

  /**
   * Rescans the folder and reloads files whose size or modification time changed.
   *
   * @return true when any DAG or import error changed
   */
  public synchronized boolean refresh() {
    if (folder == null || !Files.isDirectory(folder)) {
      boolean had = !files.isEmpty();
      files.clear();
      if (had) rebuild();
      return had;
    }
    boolean changed = false;
    List<Path> present;
    try (Stream<Path> s = Files.walk(folder)) {
      present =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      return false;
    }
    changed |= files.keySet().retainAll(present);
    for (Path p : present) {
      long modified;
      long size;
      try {
        modified = Files.getLastModifiedTime(p).toMillis();
        size = Files.size(p);
      } catch (IOException e) {
        continue;
      }
      FileState old = files.get(p);
      if (old != null && old.modified == modified && old.size == size) continue;
      changed = true;
      try {
        files.put(p, new FileState(modified, size, List.of(loader.load(p)), List.of()));
      } catch (DagFileException e) {
        files.put(
            p,
            new FileState(
                modified,
                size,
                List.of(),
                List.of(new ImportError(p.toString(), e.line(), e.problem(), clock.instant()))));
      } catch (RuntimeException e) {
        files.put(
            p,
            new FileState(
                modified,
                size,
                List.of(),
                List.of(new ImportError(p.toString(), 0, String.valueOf(e), clock.instant()))));
      }
    }
    if (changed) rebuild();
    return changed;
  }

  private void rebuild() {
    Map<String, Entry> next = new LinkedHashMap<>();
    List<ImportError> errs = new ArrayList<>();
    staticErrors.values().forEach(errs::addAll);
    Map<String, List<Dag>> all = new LinkedHashMap<>(staticDags);
    files.forEach(
        (p, st) -> {
          all.put(p.toString(), st.dags);
          errs.addAll(st.errors);
        });
    Map<String, String> sourceOf = new LinkedHashMap<>();
    for (var e : all.entrySet()) {
      for (Dag d : e.getValue()) {
        if (next.containsKey(d.dagId())) {
          errs.add(
              new ImportError(
                  e.getKey(),
                  0,
                  "dag_id '" + d.dagId() + "' is already defined in " + sourceOf.get(d.dagId()),
                  clock.instant()));
          continue;
        }
        try {
          Timetable t = Timetables.parse(d.schedule(), d.timezone());
          if (t instanceof io.sluice.core.schedule.ContinuousTimetable && d.maxActiveRuns() != 1)
            throw new IllegalArgumentException("schedule @continuous needs max_active_runs = 1");
          next.put(d.dagId(), new Entry(d, t));
          sourceOf.put(d.dagId(), e.getKey());
        } catch (IllegalArgumentException ex) {
          errs.add(
              new ImportError(
                  e.getKey(), 0, "DAG '" + d.dagId() + "': " + ex.getMessage(), clock.instant()));
        }
      }
    }
    snapshot = java.util.Collections.unmodifiableMap(next);
    errors = List.copyOf(errs);
  }

  public Optional<Entry> entry(String dagId) {
    return Optional.ofNullable(snapshot.get(dagId));
  }

  public Optional<Dag> dag(String dagId) {
    return entry(dagId).map(Entry::dag);
  }

  public Collection<Entry> entries() {
    return snapshot.values();
  }

  public List<ImportError> importErrors() {
    return errors;
  }

  /** Every source (file or provider) currently known, for pruning stale import errors. */
  public synchronized List<String> sources() {
    List<String> s = new ArrayList<>(staticDags.keySet());
    s.addAll(staticErrors.keySet());
    files.keySet().forEach(p -> s.add(p.toString()));
    return s;
  }

  public Path folder() {
    return folder;
  }

  Instant now() {
    return clock.instant();
  }
}
