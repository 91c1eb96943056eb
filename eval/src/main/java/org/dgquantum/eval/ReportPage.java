package org.dgquantum.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A report written once and rendered twice: as Markdown (figures linked) and as one self-contained HTML page
 * (figures embedded as data URIs, no scripts, no outside resources), so both always say the same. Blocks are
 * headings, paragraphs, bullet lists, tables and figures; text is plain (the renderers escape it), except that
 * {@code **bold**} spans are kept as emphasis in both.
 */
public final class ReportPage {
    private sealed interface Block permits Heading, Paragraph, Bullets, Table, Figure, Code {
    }

    private record Heading(int level, String text) implements Block {
    }

    private record Paragraph(String text) implements Block {
    }

    private record Bullets(List<String> items) implements Block {
    }

    private record Table(List<String> header, List<List<String>> rows, String note) implements Block {
    }

    private record Figure(Path file, String caption) implements Block {
    }

    private record Code(String text) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public ReportPage(String title) {
        this.title = title;
    }

    public ReportPage heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    public ReportPage paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    public ReportPage bullets(List<String> items) {
        blocks.add(new Bullets(List.copyOf(items)));
        return this;
    }

    /** A table; the first column is left-aligned, the others right-aligned; {@code note} (may be null) below it. */
    public ReportPage table(List<String> header, List<List<String>> rows, String note) {
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList(), note));
        return this;
    }

    /** A figure: a PNG file, linked by its path relative to the Markdown file's directory, embedded in HTML. */
    public ReportPage figure(Path file, String caption) {
        blocks.add(new Figure(file, caption));
        return this;
    }

    /** A preformatted block (commands, versions). */
    public ReportPage code(String text) {
        blocks.add(new Code(text));
        return this;
    }

    /** Markdown; figure paths are written relative to {@code dir}, where the Markdown file goes. */
    public String markdown(Path dir) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        for (Block block : blocks) {
            switch (block) {
                case Heading h -> b.append("#".repeat(h.level() + 1)).append(' ').append(h.text()).append("\n\n");
                case Paragraph p -> b.append(p.text()).append("\n\n");
                case Bullets l -> {
                    l.items().forEach(i -> b.append("- ").append(i).append('\n'));
                    b.append('\n');
                }
                case Table t -> {
                    b.append("| ").append(String.join(" | ", t.header().stream().map(ReportPage::cell).toList()))
                            .append(" |\n|---");
                    b.append("|---:".repeat(t.header().size() - 1)).append("|\n");
                    for (List<String> r : t.rows()) {
                        b.append("| ").append(String.join(" | ", r.stream().map(ReportPage::cell).toList()))
                                .append(" |\n");
                    }
                    b.append('\n');
                    if (t.note() != null) {
                        b.append(t.note()).append("\n\n");
                    }
                }
                case Figure f -> b.append("![").append(f.caption()).append("](")
                        .append(dir.toAbsolutePath().relativize(f.file().toAbsolutePath()).toString().replace('\\', '/'))
                        .append(")\n\n*").append(f.caption()).append("*\n\n");
                case Code c -> b.append("```\n").append(c.text().strip()).append("\n```\n\n");
            }
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", "<br>");
    }

    /** One HTML page with every figure embedded. */
    public String html() throws IOException {
        StringBuilder b = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""").append(esc(title)).append("""
                </title>
                <style>
                body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1400px;margin:2em auto;
                padding:0 1em;color:#1b1b1b;line-height:1.45}
                h1{font-size:1.7em;border-bottom:2px solid #ddd;padding-bottom:.2em}h2{margin-top:1.6em;font-size:1.3em}
                .scroll{overflow-x:auto;margin:.6em 0 1em}
                table{border-collapse:collapse;font-size:.86em}
                th,td{border:1px solid #d0d0d0;padding:.28em .5em;text-align:right;vertical-align:top;white-space:nowrap}
                td:first-child{white-space:normal;min-width:12em}
                th{background:#f3f5f7}td:first-child,th:first-child{text-align:left}
                tr:nth-child(even) td{background:#fafbfc}
                figure{margin:1em 0}figure img{max-width:100%;border:1px solid #e2e2e2}
                figcaption{font-size:.9em;color:#555}
                pre{background:#f6f8fa;padding:.7em;overflow-x:auto;font-size:.85em}
                .note{font-size:.85em;color:#555}
                </style></head><body>
                """);
        b.append("<h1>").append(inline(title)).append("</h1>\n");
        for (Block block : blocks) {
            switch (block) {
                case Heading h -> b.append("<h").append(h.level() + 1).append('>').append(inline(h.text()))
                        .append("</h").append(h.level() + 1).append(">\n");
                case Paragraph p -> b.append("<p>").append(inline(p.text())).append("</p>\n");
                case Bullets l -> {
                    b.append("<ul>\n");
                    l.items().forEach(i -> b.append("<li>").append(inline(i)).append("</li>\n"));
                    b.append("</ul>\n");
                }
                case Table t -> {
                    b.append("<div class=\"scroll\"><table>\n<tr>");
                    t.header().forEach(h -> b.append("<th>").append(inline(h)).append("</th>"));
                    b.append("</tr>\n");
                    for (List<String> r : t.rows()) {
                        b.append("<tr>");
                        r.forEach(c -> b.append("<td>").append(inline(c)).append("</td>"));
                        b.append("</tr>\n");
                    }
                    b.append("</table></div>\n");
                    if (t.note() != null) {
                        b.append("<p class=\"note\">").append(inline(t.note())).append("</p>\n");
                    }
                }
                case Figure f -> b.append("<figure><img alt=\"").append(esc(f.caption()))
                        .append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(f.file())))
                        .append("\"><figcaption>").append(inline(f.caption())).append("</figcaption></figure>\n");
                case Code c -> b.append("<pre>").append(esc(c.text().strip())).append("</pre>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** Escaped text with **bold**, `code` and line breaks (the Markdown cells' {@code <br>}) kept. */
    private static String inline(String s) {
        String e = esc(s).replace("&lt;br&gt;", "<br>").replace("\n", "<br>");
        e = e.replaceAll("\\*\\*(.+?)\\*\\*", "<strong>$1</strong>");
        return e.replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
