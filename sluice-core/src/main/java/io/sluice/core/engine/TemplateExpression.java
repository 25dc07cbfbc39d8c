package io.sluice.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the inside of one {@code {{ ... }}}: a name followed by attribute lookups ({@code .x}),
 * subscripts ({@code ['x']}, {@code [0]}) and method calls with literal arguments, positional or by
 * keyword ({@code ti.xcom_pull('t')}, {@code ti.xcom_pull(task_ids='t', key='k')}). Literals are
 * quoted strings, numbers, {@code True}, {@code False}, {@code None} and lists of them, as in
 * Jinja. Anything else is an error that quotes the expression.
 */
final class TemplateExpression {
  private final String text;
  private final Map<String, Object> context;
  private int pos;

  private TemplateExpression(String text, Map<String, Object> context) {
    this.text = text;
    this.context = context;
  }

  static Object evaluate(String expression, Map<String, Object> context) {
    TemplateExpression e = new TemplateExpression(expression.trim(), context);
    Object v = e.chain();
    e.skipSpace();
    if (e.pos < e.text.length()) throw e.error("unexpected '" + e.text.charAt(e.pos) + "'");
    return v;
  }

  private Object chain() {
    StringBuilder path = new StringBuilder(name());
    Object cur = lookup(context, path.toString(), path);
    while (true) {
      skipSpace();
      if (peek('.')) {
        pos++;
        String n = name();
        path.append('.').append(n);
        cur = lookup(cur, n, path);
      } else if (peek('[')) {
        pos++;
        Object key = literal();
        expect(']');
        path.append('[').append(key).append(']');
        cur = lookup(cur, String.valueOf(key), path);
      } else if (peek('(')) {
        pos++;
        if (!(cur instanceof Templates.Method m)) throw error("'" + path + "' is not callable");
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        arguments(args, kwargs);
        path.append("()");
        cur = m.call(args, kwargs);
      } else {
        return cur;
      }
    }
  }

  private Object lookup(Object cur, String key, StringBuilder path) {
    Object v = Templates.step(cur, key);
    if (v == Templates.MISSING)
      throw new IllegalArgumentException(
          "template variable '" + path + "' is undefined (in {{ " + text + " }})");
    return v;
  }

  private void arguments(List<Object> args, Map<String, Object> kwargs) {
    skipSpace();
    if (peek(')')) {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      int start = pos;
      if (pos < text.length() && Character.isJavaIdentifierStart(text.charAt(pos))) {
        String n = name();
        skipSpace();
        if (peek('=')) {
          pos++;
          kwargs.put(n, literal());
        } else {
          pos = start;
          args.add(literal());
        }
      } else {
        args.add(literal());
      }
      skipSpace();
      if (peek(',')) pos++;
      else {
        expect(')');
        return;
      }
    }
  }

  private Object literal() {
    skipSpace();
    if (pos >= text.length()) throw error("a value is missing");
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      int end = text.indexOf(c, pos + 1);
      if (end < 0) throw error("unterminated string");
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }
    if (c == '[') {
      pos++;
      List<Object> items = new ArrayList<>();
      skipSpace();
      while (!peek(']')) {
        items.add(literal());
        skipSpace();
        if (peek(',')) pos++;
        skipSpace();
      }
      pos++;
      return items;
    }
    if (c == '-' || Character.isDigit(c)) {
      int start = pos++;
      while (pos < text.length()
          && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) pos++;
      String n = text.substring(start, pos);
      return n.contains(".") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
    }
    String word = name();
    return switch (word) {
      case "True", "true" -> Boolean.TRUE;
      case "False", "false" -> Boolean.FALSE;
      case "None", "none" -> null;
      default -> throw error("'" + word + "' is not a literal (quote strings)");
    };
  }

  private String name() {
    skipSpace();
    int start = pos;
    while (pos < text.length()
        && (Character.isJavaIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '-')) pos++;
    if (start == pos) throw error("a name is expected at position " + (start + 1));
    return text.substring(start, pos);
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) throw error("'" + c + "' is expected at position " + (pos + 1));
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("cannot evaluate template {{ " + text + " }}: " + what);
  }
}
