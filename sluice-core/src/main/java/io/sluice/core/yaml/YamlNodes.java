package io.sluice.core.yaml;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of the nodes of one YAML DAG file: each value that is not what the key expects
 * becomes a {@link DagFileException} naming the file, the line and what was found.
 */
class YamlNodes {
  private final String file;

  YamlNodes(String file) {
    this.file = file;
  }

  DagFileException error(Node node, String problem) {
    return new DagFileException(
        file, node == null ? 0 : node.getStartMark().getLine() + 1, problem);
  }

  Map<String, NodeTuple> keys(MappingNode map) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String k = scalar(t.getKeyNode());
      if (out.containsKey(k)) throw error(t.getKeyNode(), "duplicate key '" + k + "'");
      out.put(k, t);
    }
    return out;
  }

  String requiredScalar(Map<String, NodeTuple> keys, String key, Node parent) {
    NodeTuple t = keys.get(key);
    if (t == null) throw error(parent, "missing key '" + key + "'");
    return scalar(t.getValueNode());
  }

  String scalar(Node n) {
    if (!(n instanceof ScalarNode s)) throw error(n, "expected a single value");
    return s.getValue();
  }

  String nullableScalar(Node n) {
    if (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) return null;
    return scalar(n);
  }

  boolean bool(Node n) {
    String v = scalar(n).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("yes")) return true;
    if (v.equals("false") || v.equals("no")) return false;
    throw error(n, "expected true or false, got '" + v + "'");
  }

  int integer(Node n) {
    try {
      return Integer.parseInt(scalar(n));
    } catch (NumberFormatException e) {
      throw error(n, "expected an integer, got '" + scalar(n) + "'");
    }
  }

  int nonNegative(Node n) {
    int v = integer(n);
    if (v < 0) throw error(n, "expected a number >= 0, got " + v);
    return v;
  }

  int positive(Node n) {
    int v = integer(n);
    if (v < 1) throw error(n, "expected a number >= 1, got " + v);
    return v;
  }

  Duration duration(Node n) {
    String v = scalar(n);
    try {
      if (v.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(v));
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw error(
          n, "expected an ISO-8601 duration such as PT30S or a number of seconds, got '" + v + "'");
    }
  }

  Instant instant(Node n, ZoneId zone) {
    String v = scalar(n);
    try {
      if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(zone).toInstant();
      try {
        return OffsetDateTime.parse(v.replace(' ', 'T')).toInstant();
      } catch (RuntimeException e) {
        return LocalDateTime.parse(v.replace(' ', 'T')).atZone(zone).toInstant();
      }
    } catch (RuntimeException e) {
      throw error(
          n, "expected a date (2024-01-01) or date-time (2024-01-01T00:00:00Z), got '" + v + "'");
    }
  }

  Object toJava(Node n) {
    if (n instanceof ScalarNode s) {
      Tag tag = s.getTag();
      if (tag.equals(Tag.NULL)) return null;
      if (tag.equals(Tag.BOOL)) return bool(s);
      if (tag.equals(Tag.INT)) {
        try {
          long l = Long.parseLong(s.getValue());
          return l == (int) l ? (Object) (int) l : (Object) l;
        } catch (NumberFormatException e) {
          return s.getValue();
        }
      }
      if (tag.equals(Tag.FLOAT)) {
        try {
          return Double.parseDouble(s.getValue());
        } catch (NumberFormatException e) {
          return s.getValue();
        }
      }
      return s.getValue();
    }
    if (n instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      for (Node c : seq.getValue()) out.add(toJava(c));
      return out;
    }
    if (n instanceof MappingNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) out.put(scalar(t.getKeyNode()), toJava(t.getValueNode()));
      return out;
    }
    throw error(n, "unsupported YAML node");
  }
}
