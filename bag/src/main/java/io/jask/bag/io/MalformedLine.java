package io.jask.bag.io;

import java.io.Serializable;

/**
 * A line of a JSON-lines file that is not a JSON object.
 *
 * <pre>{@code
 * List<MalformedLine> bad = Bag.readJsonErrors("logs/*.json").compute();
 * bad.get(0).line();   // 1-based line number in bad.get(0).file()
 * }</pre>
 *
 * @param file the file
 * @param line 1-based line number in the file
 * @param text the line
 * @param message the parser's message
 */
public record MalformedLine(String file, long line, String text, String message) implements Serializable {}
