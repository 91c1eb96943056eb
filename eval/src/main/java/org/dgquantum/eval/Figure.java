package org.dgquantum.eval;

import org.dgquantum.engine.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A canvas for a figure made of several panels: a title band at the top, panels placed by the caller (XChart
 * charts or Java2D drawings), and an optional shared colour legend at the bottom (one legend for all panels
 * instead of one per chart).
 */
final class Figure {
    static final int TITLE_HEIGHT = 46;
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 21);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final int LEGEND_ROW = 26;
    private static final int LEGEND_PAD = 12;
    private static final int SWATCH = 16;
    private static final int ITEM_GAP = 28;

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private final BufferedImage image;
    private final Graphics2D g;
    private final int top;

    /** A white {@code width} x {@code height} canvas with {@code title} centred on top (no band if null). */
    Figure(int width, int height, String title) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        top = title == null ? 0 : TITLE_HEIGHT;
        if (title != null) {
            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            centred(title, width / 2, TITLE_HEIGHT / 2);
        }
    }

    int width() {
        return image.getWidth();
    }

    int height() {
        return image.getHeight();
    }

    /** The first row below the title band. */
    int top() {
        return top;
    }

    Graphics2D graphics() {
        return g;
    }

    /** Draws {@code chart} (at its own size) with its top-left corner at (x, y). */
    void place(Chart<?, ?> chart, int x, int y) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart), x, y, null);
    }

    /** Draws {@code text} centred on (cx, cy) in the current font and colour. */
    void centred(String text, int cx, int cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cx - fm.stringWidth(text) / 2, cy + (fm.getAscent() - fm.getDescent()) / 2);
    }

    /** Height the legend of {@code names} takes at the bottom, rows wrapped to the figure's width. */
    int legendHeight(List<String> names) {
        return rows(names).size() * LEGEND_ROW + 2 * LEGEND_PAD;
    }

    /** Draws a colour swatch and name per entry at the bottom of the figure, in rows, each row centred. */
    void legend(List<String> names, List<Color> colors) {
        List<List<Integer>> rows = rows(names);
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        int y = height() - legendHeight(names) + LEGEND_PAD;
        g.setColor(new Color(200, 200, 200));
        g.drawLine(LEGEND_PAD, y - LEGEND_PAD / 2, width() - LEGEND_PAD, y - LEGEND_PAD / 2);
        for (List<Integer> row : rows) {
            int w = row.stream().mapToInt(i -> itemWidth(fm, names.get(i))).sum() - ITEM_GAP;
            int x = (width() - w) / 2;
            for (int i : row) {
                int cy = y + LEGEND_ROW / 2;
                g.setColor(colors.get(i));
                g.fillRect(x, cy - SWATCH / 2, SWATCH, SWATCH);
                g.setColor(Color.DARK_GRAY);
                g.drawRect(x, cy - SWATCH / 2, SWATCH, SWATCH);
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), x + SWATCH + 7, cy + (fm.getAscent() - fm.getDescent()) / 2);
                x += itemWidth(fm, names.get(i));
            }
            y += LEGEND_ROW;
        }
    }

    private List<List<Integer>> rows(List<String> names) {
        FontMetrics fm = g.getFontMetrics(LEGEND_FONT);
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> row = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < names.size(); i++) {
            int w = itemWidth(fm, names.get(i));
            if (!row.isEmpty() && used + w - ITEM_GAP > width() - 2 * LEGEND_PAD) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(i);
            used += w;
        }
        if (!row.isEmpty()) rows.add(row);
        return rows;
    }

    private static int itemWidth(FontMetrics fm, String name) {
        return SWATCH + 7 + fm.stringWidth(name) + ITEM_GAP;
    }

    /** The finished image. */
    BufferedImage image() {
        return image;
    }

    /** Writes {@code image} as a PNG to {@code file} atomically. */
    static Path write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer");
        });
        return file;
    }
}
