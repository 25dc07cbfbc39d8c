package io.sluice.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the committed rows of a lake dataset per value of a column ({@code run_id} by default) and
 * writes them as JSON; {@code sluice audit} launches it in a Spark JVM, since the CLI has no Spark
 * classes:
 *
 * <pre>
 * LakeCounts users|weather.hourly|... OUT.json [--by COLUMN]
 * </pre>
 *
 * <p>The dataset is read as Spark reads a file-sink directory: through its {@code _spark_metadata}
 * commit log, so that files of a micro-batch that never committed are not counted. The JSON is
 * {@code {"dataset":..., "path":..., "by":..., "exists":..., "rows":N, "counts":{value: n}}}; rows
 * whose column is null are in {@code rows} but not in {@code counts}.
 */
public final class LakeCounts {
  private static final Logger log = LoggerFactory.getLogger(LakeCounts.class);

  private LakeCounts() {}

  public static void main(String[] args) {
    int code;
    try {
      if (args.length != 2 && !(args.length == 4 && args[2].equals("--by")))
        throw new IllegalArgumentException(
            "usage: LakeCounts DATASET OUT.json [--by COLUMN] (default column: run_id)");
      String column = args.length == 4 ? args[3] : "run_id";
      SluiceConfig config = SluiceConfig.loadKnownKeys();
      SparkSession spark = SparkSessions.create(config, "sluice-lake-counts", "local[1]");
      try {
        String path = Lake.path(config, args[0]);
        Map<String, Object> result = count(spark, path, column);
        result.put("dataset", args[0]);
        Path out = Path.of(args[1]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        log.info("{}: {} rows in {}", args[0], result.get("rows"), path);
      } finally {
        spark.stop();
      }
      code = 0;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      code = 2;
    } catch (Throwable t) {
      log.error("counting the lake failed", t);
      code = 1;
    }
    System.exit(code);
  }

  /**
   * The committed rows under {@code path} grouped by {@code column}: {@code path}, {@code by},
   * {@code exists}, {@code rows} (all rows) and {@code counts} (a sorted map of value to rows).
   */
  public static Map<String, Object> count(SparkSession spark, String path, String column) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("path", path);
    result.put("by", column);
    Map<String, Long> counts = new TreeMap<>();
    long rows = 0;
    Dataset<Row> lake = read(spark, path);
    boolean exists = lake != null;
    if (exists) {
      for (Row r : lake.groupBy(column).count().collectAsList()) {
        long n = r.getLong(1);
        rows += n;
        if (!r.isNullAt(0)) counts.put(String.valueOf(r.get(0)), n);
      }
    }
    result.put("exists", exists);
    result.put("rows", rows);
    result.put("counts", counts);
    return result;
  }

  /** The dataset, or null when its directory does not exist or holds no committed file yet. */
  private static Dataset<Row> read(SparkSession spark, String path) {
    try {
      // why: for a directory with _spark_metadata, Spark lists the files from the sink's commit
      // log (MetadataLogFileIndex), not from the directory
      return spark.read().parquet(path);
    } catch (Exception e) {
      // why: AnalysisException is checked in Java's eyes but undeclared by parquet()
      if (e instanceof AnalysisException a
          && ("PATH_NOT_FOUND".equals(a.getCondition())
              || "UNABLE_TO_INFER_SCHEMA".equals(a.getCondition()))) return null;
      throw e;
    }
  }
}
