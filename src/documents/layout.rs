//! A small page-layout engine over printpdf's ops API: US Letter pages with margins,
//! text in Noto Sans regular and bold, greedy word wrap from glyph advances, tables
//! whose header repeats after a page break, rules, shaded boxes, signature lines and
//! "Page X of Y" footers.
//!
//! Layout happens first, into a list of positioned items per page, measured from the
//! top-left corner in points; only when every page is known are the items turned into
//! PDF ops (origin bottom-left), so each footer can name the page count.
//!
//! # Fonts and missing glyphs
//!
//! The documents embed Noto Sans (SIL OFL 1.1, `assets/fonts/`), which covers Latin,
//! Greek and Cyrillic, so names such as Müller, Søren, Núñez or Straße print as typed.
//! Text is first normalised to NFC so that a name typed with combining accents uses the
//! precomposed letters the font draws well. A character the font has no glyph for (a CJK
//! ideograph, an emoji) is replaced by a plain `?`: it must never vanish silently, because
//! a name with a letter missing looks complete and wrong. A `?` is visibly "something was
//! here", reads the same in every viewer and is extracted as `?` by copy-and-paste and
//! text tools, which the font's own U+FFFD glyph would not be in all of them. Control
//! characters (tabs, stray carriage returns) become spaces.

use crate::{Error, Result};
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// US Letter, in points.
pub const PAGE_W: f32 = 612.0;
pub const PAGE_H: f32 = 792.0;
/// Side margins (0.75 in).
pub const MARGIN_X: f32 = 54.0;
/// Where content starts, from the top of the page.
pub const TOP: f32 = 50.0;
/// Content never goes below this line (from the top); the footer lives beneath it.
pub const BOTTOM: f32 = PAGE_H - 64.0;
/// The width between the margins.
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// The left edge of the content.
pub const LEFT: f32 = MARGIN_X;
/// The right edge of the content.
pub const RIGHT: f32 = PAGE_W - MARGIN_X;

/// Noto Sans cap height, as a fraction of the em; used to centre text in a line box.
const CAP_HEIGHT: f32 = 0.714;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.38;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// The few colours the documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Body text: a very dark grey, softer than black.
    Text,
    /// Labels, captions and footers.
    Muted,
    /// Headings and the practice name: a deep teal.
    Accent,
    /// The VOID marking.
    Void,
    /// The pale VOID watermark behind the content.
    VoidPale,
    /// Thin rules between table rows.
    Hairline,
    /// Stronger rules.
    Rule,
    /// Shaded backgrounds (table headers, the balance box).
    Shade,
    /// The pale red background of the VOID banner.
    VoidShade,
}

impl Ink {
    fn color(self) -> Color {
        let (r, g, b) = match self {
            Ink::Text => (0.12, 0.13, 0.15),
            Ink::Muted => (0.40, 0.42, 0.45),
            Ink::Accent => (0.07, 0.33, 0.37),
            Ink::Void => (0.72, 0.09, 0.09),
            Ink::VoidPale => (0.98, 0.86, 0.86),
            Ink::Hairline => (0.86, 0.87, 0.88),
            Ink::Rule => (0.55, 0.57, 0.60),
            Ink::Shade => (0.94, 0.95, 0.95),
            Ink::VoidShade => (0.99, 0.93, 0.93),
        };
        Color::Rgb(Rgb {
            r,
            g,
            b,
            icc_profile: None,
        })
    }
}

/// A face, a size in points and a colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub ink: Ink,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style {
            face: Face::Regular,
            size,
            ink: Ink::Text,
        }
    }

    pub const fn bold(size: f32) -> Style {
        Style {
            face: Face::Bold,
            size,
            ink: Ink::Text,
        }
    }

    pub const fn ink(self, ink: Ink) -> Style {
        Style { ink, ..self }
    }

    /// The height of one line of this style.
    pub fn line_height(self) -> f32 {
        self.size * LEADING
    }

    /// The baseline's distance below the top of a line box of height `lh`, chosen so
    /// capitals sit in the middle of the box.
    fn baseline_in(self, lh: f32) -> f32 {
        (lh + CAP_HEIGHT * self.size) / 2.0
    }
}

/// The two embedded faces, parsed once per process.
pub struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    regular_upem: f32,
    bold_upem: f32,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// The embedded fonts.
///
/// # Errors
/// `Error::Internal` if the bundled font files cannot be parsed (a build defect).
pub fn fonts() -> Result<&'static Fonts> {
    FONTS
        .get_or_init(|| {
            let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new())?;
            let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new())?;
            let regular_upem = f32::from(regular.pdf_font_metrics.units_per_em.max(1));
            let bold_upem = f32::from(bold.pdf_font_metrics.units_per_em.max(1));
            Some(Fonts {
                regular,
                bold,
                regular_upem,
                bold_upem,
            })
        })
        .as_ref()
        .ok_or(Error::Internal(
            "the embedded document font could not be read",
        ))
}

impl Fonts {
    fn face(&self, face: Face) -> (&ParsedFont, f32) {
        match face {
            Face::Regular => (&self.regular, self.regular_upem),
            Face::Bold => (&self.bold, self.bold_upem),
        }
    }

    fn has_glyph(&self, c: char) -> bool {
        let cp = u32::from(c);
        // Glyph 0 is `.notdef`, the empty box a font draws for "no glyph".
        let has = |f: &ParsedFont| f.lookup_glyph_index(cp).is_some_and(|g| g != 0);
        has(&self.regular) && has(&self.bold)
    }

    /// Text made printable: NFC-normalised, control characters turned into spaces,
    /// invisible direction and joining marks dropped, and every character either face
    /// lacks replaced by `?` (see the module docs). Line breaks are kept; callers that
    /// want one line replace them first.
    pub fn printable(&self, text: &str) -> String {
        text.nfc()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                c if c.is_control() => Some(' '),
                // Bidi embeddings, overrides and isolates, zero-width marks and joiners
                // steer how a screen orders or joins letters. A PDF line is drawn as
                // stored, so they mean nothing here, and the font draws some of them as
                // stray visible marks. Dropping them loses no letter.
                '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}' => None,
                c if self.has_glyph(c) => Some(c),
                _ => Some('?'),
            })
            .collect()
    }

    /// The width of already printable text, in points.
    pub fn width(&self, style: Style, text: &str) -> f32 {
        let (font, upem) = self.face(style.face);
        let units: u32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(u32::from(c))
                    .map_or(0, |gid| u32::from(font.get_horizontal_advance(gid)))
            })
            .sum();
        // Glyph advances are small integers; f32 holds their sum exactly.
        units as f32 * style.size / upem
    }

    /// Greedy word wrap of already printable text into lines no wider than `width`.
    /// Explicit line breaks are kept; a word wider than the line is broken between
    /// characters so nothing runs past the edge. Never returns an empty list.
    pub fn wrap(&self, style: Style, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let space = self.width(style, " ");
        for para in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let word_w = self.width(style, word);
                let gap = if line.is_empty() { 0.0 } else { space };
                if line_w + gap + word_w <= width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w += gap + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if word_w <= width {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                // A word longer than the whole line: break it between characters.
                for c in word.chars() {
                    let mut buf = [0u8; 4];
                    let c_w = self.width(style, c.encode_utf8(&mut buf));
                    if line_w + c_w > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += c_w;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Already printable text cut to one line of at most `width`, ending in "…" when cut.
    pub fn truncate(&self, style: Style, text: &str, width: f32) -> String {
        let one_line: String = text.replace('\n', ", ");
        if self.width(style, &one_line) <= width {
            return one_line;
        }
        let ellipsis = self.width(style, "…");
        let mut out = String::new();
        let mut w = 0.0;
        for c in one_line.chars() {
            let mut buf = [0u8; 4];
            let c_w = self.width(style, c.encode_utf8(&mut buf));
            if w + c_w + ellipsis > width {
                break;
            }
            out.push(c);
            w += c_w;
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }
}

/// Horizontal alignment of text in a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One thing placed on a page. Coordinates are points from the page's top-left corner;
/// `y` of text is its baseline.
#[derive(Debug, Clone)]
enum Item {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
        thickness: f32,
        ink: Ink,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        ink: Ink,
    },
    /// Straight segments through the points (x, y from the top): a chart's line.
    Path {
        points: Vec<(f32, f32)>,
        thickness: f32,
        ink: Ink,
    },
}

/// A table column: header, width and alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    pub width: Width,
    pub align: Align,
}

impl Column {
    pub const fn new(header: &'static str, width: Width, align: Align) -> Column {
        Column {
            header,
            width,
            align,
        }
    }
}

/// A column's width: fixed points, or a share of what the fixed columns leave.
#[derive(Debug, Clone, Copy)]
pub enum Width {
    Fixed(f32),
    Flex(f32),
}

/// A table: columns, rows of cell text, and the styles of header and body.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Optional detail text per row (by index; may be shorter than `rows`), printed
    /// muted beneath the row's cells from column `detail_from` to the right edge.
    pub details: Vec<String>,
    pub detail_from: usize,
    pub head: Style,
    pub body: Style,
}

/// A table row wrapped into lines: each cell's lines, then the detail's.
struct WrappedRow {
    cells: Vec<Vec<String>>,
    cell_lines: usize,
    detail: Vec<String>,
}

impl WrappedRow {
    fn total(&self) -> usize {
        self.cell_lines + self.detail.len()
    }
}

const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 4.0;

/// Metadata written into the PDF's Info dictionary: never client data.
pub struct Meta<'a> {
    pub title: &'a str,
    /// At most the practice's name.
    pub author: &'a str,
    /// Creation date of the document, midnight UTC.
    pub date: chrono::NaiveDate,
}

/// A document being laid out: pages of placed items and the cursor on the last page.
pub struct Doc {
    fonts: &'static Fonts,
    pages: Vec<Vec<Item>>,
    /// The cursor: the top of the next thing placed, from the top of the current page.
    pub y: f32,
    footer_left: String,
    /// A word printed large and pale across every page (e.g. "VOID").
    watermark: Option<&'static str>,
    /// A line at the top of every page after the first, so a loose page can be placed.
    running_head: Option<String>,
}

impl Doc {
    /// A document with one empty page. `footer_left` is printed at the foot of every
    /// page beside the page number; it must not hold client data beyond what the
    /// document itself shows.
    pub fn new(fonts: &'static Fonts, footer_left: &str) -> Doc {
        Doc {
            fonts,
            pages: vec![Vec::new()],
            y: TOP,
            footer_left: fonts.printable(footer_left),
            watermark: None,
            running_head: None,
        }
    }

    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// How many pages the document has so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Prints `word` large and pale diagonally across every page, behind the content.
    pub fn set_watermark(&mut self, word: &'static str) {
        self.watermark = Some(word);
    }

    /// Prints `text` (cut to one line) at the top of every page after the first.
    pub fn set_running_head(&mut self, text: &str) {
        self.running_head = Some(self.fonts.printable(text));
    }

    fn page(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        if let Some(head) = self.running_head.clone() {
            let style = Style::regular(8.0).ink(Ink::Muted);
            let line = self.fonts.truncate(style, &head, CONTENT_W);
            self.text_at(LEFT, TOP + 6.0, style, &line, Align::Left);
            self.line(LEFT, RIGHT, TOP + 12.0, 0.5, Ink::Hairline);
            self.y = TOP + 26.0;
        }
    }

    /// The top of the content on the current page (below any running head).
    fn page_top(&self) -> f32 {
        if self.pages.len() > 1 && self.running_head.is_some() {
            TOP + 26.0
        } else {
            TOP
        }
    }

    /// Whether `height` more points fit on the current page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= BOTTOM
    }

    /// Starts a new page unless `height` points fit on this one (a block kept together).
    /// A block taller than a whole page starts at the top of a fresh page.
    pub fn keep(&mut self, height: f32) {
        if !self.fits(height) && self.y > self.page_top() {
            self.new_page();
        }
    }

    /// Places a block that must stay on one page. `place` draws it with its top at the
    /// given height and returns its height; when it does not fit below the cursor it is
    /// taken back and drawn again at the top of a new page. The cursor moves below it.
    pub fn block(&mut self, place: impl Fn(&mut Doc, f32) -> f32) {
        let mark = self.page().len();
        let top = self.y;
        let h = place(self, top);
        if top + h > BOTTOM && top > self.page_top() {
            self.page().truncate(mark);
            self.new_page();
            let top = self.y;
            let h = place(self, top);
            self.y = top + h;
        } else {
            self.y = top + h;
        }
    }

    /// Vertical space. Space at the top of a page is dropped.
    pub fn gap(&mut self, height: f32) {
        if self.y > self.page_top() {
            self.y += height;
        }
    }

    /// Places one line of text with its baseline at `baseline` (made printable first;
    /// line breaks become spaces).
    pub fn text_at(&mut self, x: f32, baseline: f32, style: Style, text: &str, align: Align) {
        if text.is_empty() {
            return;
        }
        let text = self.fonts.printable(text).replace('\n', " ");
        let w = self.fonts.width(style, &text);
        let x = match align {
            Align::Left => x,
            Align::Right => x - w,
        };
        self.page().push(Item::Text {
            x,
            y: baseline,
            style,
            text,
        });
    }

    /// Places wrapped lines inside the box `[x, x + width]` starting at `top`; returns
    /// the height used. Does not move the cursor and does not break pages: callers
    /// measure first with [`Doc::lines`] and keep the block together.
    pub fn place_lines(
        &mut self,
        x: f32,
        width: f32,
        top: f32,
        style: Style,
        lines: &[String],
        align: Align,
    ) -> f32 {
        let lh = style.line_height();
        let anchor = match align {
            Align::Left => x,
            Align::Right => x + width,
        };
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + i as f32 * lh + style.baseline_in(lh);
            self.text_at(anchor, baseline, style, line, align);
        }
        lines.len() as f32 * lh
    }

    /// Text made printable and wrapped to `width`.
    pub fn lines(&self, style: Style, text: &str, width: f32) -> Vec<String> {
        self.fonts.wrap(style, &self.fonts.printable(text), width)
    }

    /// A wrapped paragraph across the full content width (or `[x, x + width]`), flowing
    /// onto new pages line by line.
    pub fn paragraph_in(&mut self, x: f32, width: f32, style: Style, text: &str) {
        let lines = self.lines(style, text, width);
        let lh = style.line_height();
        let mut rest: &[String] = &lines;
        while !rest.is_empty() {
            let room = ((BOTTOM - self.y) / lh + 1e-3).floor().max(0.0) as usize;
            // Keep at least two lines of a paragraph together at the foot of a page and
            // at the head of the next (no orphans, no widows) where the paragraph allows.
            let take = if rest.len() <= room {
                rest.len()
            } else if rest.len() - room == 1 && room >= 3 {
                room - 1
            } else if room >= 2 {
                room
            } else {
                0
            };
            if take == 0 {
                if self.y <= self.page_top() {
                    // Not even one line fits on an empty page: place one anyway.
                    let top = self.y;
                    self.place_lines(x, width, top, style, &rest[..1], Align::Left);
                    self.y += lh;
                    rest = &rest[1..];
                }
                self.new_page();
                continue;
            }
            let top = self.y;
            self.y += self.place_lines(x, width, top, style, &rest[..take], Align::Left);
            rest = &rest[take..];
            if !rest.is_empty() {
                self.new_page();
            }
        }
    }

    pub fn paragraph(&mut self, style: Style, text: &str) {
        self.paragraph_in(LEFT, CONTENT_W, style, text);
    }

    /// A heading kept on the same page as the `follow` points that come after it.
    pub fn heading(&mut self, style: Style, text: &str, follow: f32) {
        let lines = self.lines(style, text, CONTENT_W);
        let h = lines.len() as f32 * style.line_height();
        self.keep(h + follow);
        let top = self.y;
        self.y += self.place_lines(LEFT, CONTENT_W, top, style, &lines, Align::Left);
    }

    /// A horizontal line from `x1` to `x2` at height `y` (from the top).
    pub fn line(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, ink: Ink) {
        self.page().push(Item::Line {
            x1,
            x2,
            y,
            thickness,
            ink,
        });
    }

    /// Straight segments through `points` (x, y from the top of the page), e.g. a
    /// chart's line or an axis; nothing for fewer than two points.
    pub fn path(&mut self, points: Vec<(f32, f32)>, thickness: f32, ink: Ink) {
        if points.len() >= 2 {
            self.page().push(Item::Path {
                points,
                thickness,
                ink,
            });
        }
    }

    /// A full-width rule at the cursor.
    pub fn rule(&mut self, thickness: f32, ink: Ink) {
        let y = self.y;
        self.line(LEFT, RIGHT, y, thickness, ink);
    }

    /// A filled rectangle whose top-left corner is `(x, y)`.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        self.page().push(Item::Fill { x, y, w, h, ink });
    }

    /// A signature line over `[x, x + width]` with `caption` (e.g. "Client signature")
    /// and an optional printed name beneath it, its top at `top`; returns the height.
    pub fn signature(
        &mut self,
        x: f32,
        width: f32,
        top: f32,
        caption: &str,
        printed_name: Option<&str>,
    ) -> f32 {
        let sign_space = 34.0;
        let line_y = top + sign_space;
        self.line(x, x + width, line_y, 0.75, Ink::Text);
        let caption_style = Style::regular(8.0).ink(Ink::Muted);
        let mut h = sign_space + 3.0;
        let caption_lines = self.lines(caption_style, caption, width);
        h += self.place_lines(
            x,
            width,
            top + h,
            caption_style,
            &caption_lines,
            Align::Left,
        );
        if let Some(name) = printed_name {
            let name_style = Style::regular(9.5);
            let name_lines = self.lines(name_style, name, width);
            h += self.place_lines(x, width, top + h, name_style, &name_lines, Align::Left);
        }
        h
    }

    /// Resolves column widths to points across the content width.
    fn column_widths(columns: &[Column]) -> Vec<f32> {
        let fixed: f32 = columns
            .iter()
            .map(|c| match c.width {
                Width::Fixed(w) => w,
                Width::Flex(_) => 0.0,
            })
            .sum();
        let shares: f32 = columns
            .iter()
            .map(|c| match c.width {
                Width::Flex(s) => s,
                Width::Fixed(_) => 0.0,
            })
            .sum();
        let spare = (CONTENT_W - fixed).max(0.0);
        columns
            .iter()
            .map(|c| match c.width {
                Width::Fixed(w) => w,
                Width::Flex(s) if shares > 0.0 => spare * s / shares,
                Width::Flex(_) => 0.0,
            })
            .collect()
    }

    fn wrap_row(&self, style: Style, cells: &[String], widths: &[f32]) -> Vec<Vec<String>> {
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let text = cells.get(i).map_or("", String::as_str);
                self.lines(style, text, (w - 2.0 * CELL_PAD_X).max(1.0))
            })
            .collect()
    }

    fn row_lines(cells: &[Vec<String>]) -> usize {
        cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
    }

    /// Where a row's detail line starts and how wide it is.
    fn detail_span(table: &Table, widths: &[f32]) -> (f32, f32) {
        let from = table.detail_from.min(widths.len().saturating_sub(1));
        let x = LEFT + widths[..from].iter().sum::<f32>();
        (x, RIGHT - x)
    }

    /// A row's visual lines: its cells, then its detail text (if any) across the span.
    fn wrap_body_row(&self, table: &Table, widths: &[f32], index: usize) -> WrappedRow {
        let row = table.rows.get(index).map_or(&[][..], Vec::as_slice);
        let cells = self.wrap_row(table.body, row, widths);
        let detail = table
            .details
            .get(index)
            .filter(|d| !d.trim().is_empty())
            .map(|d| {
                let (_, w) = Self::detail_span(table, widths);
                self.lines(table.body, d, (w - 2.0 * CELL_PAD_X).max(1.0))
            })
            .unwrap_or_default();
        WrappedRow {
            cell_lines: Self::row_lines(&cells),
            cells,
            detail,
        }
    }

    fn draw_header(&mut self, table: &Table, widths: &[f32], head: &[Vec<String>]) {
        let lh = table.head.line_height();
        let n = Self::row_lines(head);
        let h = n as f32 * lh + 2.0 * CELL_PAD_Y;
        let top = self.y;
        self.fill(LEFT, top, CONTENT_W, h, Ink::Shade);
        let row = WrappedRow {
            cells: head.to_vec(),
            cell_lines: n,
            detail: Vec::new(),
        };
        self.draw_row(table, widths, &row, table.head, top, 0, n);
        self.line(LEFT, RIGHT, top + h, 0.75, Ink::Rule);
        self.y += h;
    }

    /// Draws the visual lines `from..from + count` of a row with its top at `top`.
    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        table: &Table,
        widths: &[f32],
        row: &WrappedRow,
        style: Style,
        top: f32,
        from: usize,
        count: usize,
    ) {
        let lh = style.line_height();
        let (span_x, span_w) = Self::detail_span(table, widths);
        for (k, j) in (from..from + count).enumerate() {
            let line_top = top + CELL_PAD_Y + k as f32 * lh;
            if j < row.cell_lines {
                let mut x = LEFT;
                for (i, (w, lines)) in widths.iter().zip(&row.cells).enumerate() {
                    if let Some(line) = lines.get(j) {
                        let align = table.columns.get(i).map_or(Align::Left, |c| c.align);
                        let one = std::slice::from_ref(line);
                        self.place_lines(
                            x + CELL_PAD_X,
                            w - 2.0 * CELL_PAD_X,
                            line_top,
                            style,
                            one,
                            align,
                        );
                    }
                    x += w;
                }
            } else if let Some(line) = row.detail.get(j - row.cell_lines) {
                let muted = style.ink(Ink::Muted);
                let one = std::slice::from_ref(line);
                self.place_lines(
                    span_x + CELL_PAD_X,
                    span_w - 2.0 * CELL_PAD_X,
                    line_top,
                    muted,
                    one,
                    Align::Left,
                );
            }
        }
    }

    /// Lays out a table at the cursor. Rows that do not fit go to the next page under a
    /// repeated header; a row taller than the space left is split between its lines.
    pub fn table(&mut self, table: &Table) {
        self.table_kept_with(table, 0.0);
    }

    /// Lays out a table whose last row stays on the page of the `tail` points that
    /// follow it (e.g. totals and a signature), so what follows never starts a page alone:
    /// when the last row and the tail do not fit together, the last row moves to the next
    /// page with them (unless they would not fit on a fresh page either).
    pub fn table_kept_with(&mut self, table: &Table, tail: f32) {
        let widths = Self::column_widths(&table.columns);
        let headers: Vec<String> = table.columns.iter().map(|c| c.header.to_owned()).collect();
        let head = self.wrap_row(table.head, &headers, &widths);
        let head_h = Self::row_lines(&head) as f32 * table.head.line_height() + 2.0 * CELL_PAD_Y;
        let lh = table.body.line_height();

        // The header goes with at least the first row (or its first two lines).
        let first_h = if table.rows.is_empty() {
            0.0
        } else {
            let row = self.wrap_body_row(table, &widths, 0);
            row.total().min(2) as f32 * lh + 2.0 * CELL_PAD_Y
        };
        self.keep(head_h + first_h);
        self.draw_header(table, &widths, &head);

        for index in 0..table.rows.len() {
            let row = self.wrap_body_row(table, &widths, index);
            let total = row.total();
            let mut done = 0;
            while done < total {
                let room = ((BOTTOM - self.y - 2.0 * CELL_PAD_Y) / lh).floor();
                let room = if room < 1.0 { 0 } else { room as usize };
                let remaining = total - done;
                // Start a new page when the row does not fit and either it would fit on a
                // fresh page or barely any of it fits here.
                let fresh_top = TOP
                    + if self.running_head.is_some() {
                        26.0
                    } else {
                        0.0
                    };
                let fresh_room =
                    ((BOTTOM - fresh_top - head_h - 2.0 * CELL_PAD_Y) / lh).floor() as usize;
                if room < remaining && (remaining <= fresh_room || room < 2) {
                    self.new_page();
                    self.draw_header(table, &widths, &head);
                    continue;
                }
                let last = index + 1 == table.rows.len();
                let row_h = remaining as f32 * lh + 2.0 * CELL_PAD_Y;
                let fresh_space = BOTTOM - fresh_top - head_h;
                if last
                    && done == 0
                    && tail > 0.0
                    && index > 0
                    && self.y + row_h + tail > BOTTOM
                    && row_h + tail <= fresh_space
                {
                    self.new_page();
                    self.draw_header(table, &widths, &head);
                    continue;
                }
                let count = remaining.min(room.max(1));
                let top = self.y;
                self.draw_row(table, &widths, &row, table.body, top, done, count);
                let h = count as f32 * lh + 2.0 * CELL_PAD_Y;
                self.line(LEFT, RIGHT, top + h, 0.5, Ink::Hairline);
                self.y += h;
                done += count;
            }
        }
    }

    /// Lays the footers out and writes the PDF.
    ///
    /// # Errors
    /// `Error::Internal` if the date cannot be expressed in the PDF's metadata.
    pub fn finish(mut self, meta: &Meta<'_>) -> Result<Vec<u8>> {
        let fonts = self.fonts;
        let total = self.pages.len();
        let footer_style = Style::regular(8.0).ink(Ink::Muted);
        let footer_rule_y = PAGE_H - 50.0;
        let footer_baseline = PAGE_H - 36.0;
        let footer_left = self.footer_left.clone();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number = format!("Page {} of {}", i + 1, total);
            let number_w = fonts.width(footer_style, &number);
            page.push(Item::Line {
                x1: LEFT,
                x2: RIGHT,
                y: footer_rule_y,
                thickness: 0.5,
                ink: Ink::Hairline,
            });
            let left = fonts.truncate(footer_style, &footer_left, CONTENT_W - number_w - 24.0);
            page.push(Item::Text {
                x: LEFT,
                y: footer_baseline,
                style: footer_style,
                text: left,
            });
            page.push(Item::Text {
                x: RIGHT - number_w,
                y: footer_baseline,
                style: footer_style,
                text: number,
            });
        }

        let mut pdf = PdfDocument::new(meta.title);
        let stamp = meta
            .date
            .and_hms_opt(12, 0, 0)
            .map(|d| d.and_utc().timestamp())
            .and_then(|t| printpdf::OffsetDateTime::from_unix_timestamp(t).ok())
            .ok_or(Error::Internal("the document date cannot be written"))?;
        {
            let info = &mut pdf.metadata.info;
            info.author = meta.author.to_owned();
            info.creator = "KAP Practice".to_owned();
            info.producer = "KAP Practice".to_owned();
            info.creation_date = stamp;
            info.modification_date = stamp;
            info.metadata_date = stamp;
        }
        let regular = pdf.add_font(&fonts.regular);
        let bold = pdf.add_font(&fonts.bold);

        let watermark = self.watermark;
        let pages = self
            .pages
            .iter()
            .map(|items| {
                let ops = page_ops(fonts, items, watermark, &regular, &bold);
                PdfPage::new(Pt(PAGE_W).into(), Pt(PAGE_H).into(), ops)
            })
            .collect();
        let mut warnings = Vec::new();
        let bytes = pdf
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings);
        if bytes.is_empty() {
            return Err(Error::Internal("the document could not be written"));
        }
        Ok(bytes)
    }
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_from_top),
    }
}

/// The ops of one page: fills, then the watermark, then lines, then text, so that
/// shading sits behind the watermark and the watermark behind rules and text.
fn page_ops(
    fonts: &Fonts,
    items: &[Item],
    watermark: Option<&'static str>,
    regular: &FontId,
    bold: &FontId,
) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 4 + 16);
    let handle = |face: Face| match face {
        Face::Regular => PdfFontHandle::External(regular.clone()),
        Face::Bold => PdfFontHandle::External(bold.clone()),
    };

    for item in items {
        if let Item::Fill { x, y, w, h, ink } = *item {
            ops.push(Op::SetFillColor { col: ink.color() });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(PAGE_H - y - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
    }

    if let Some(word) = watermark {
        let style = Style::bold(150.0).ink(Ink::VoidPale);
        let w = fonts.width(style, word);
        let h = CAP_HEIGHT * style.size;
        let angle = 35.0_f32.to_radians();
        let (sin, cos) = angle.sin_cos();
        // Start the baseline so that the word's centre lands on the page's centre.
        let cx = PAGE_W / 2.0 - (cos * w / 2.0 - sin * h / 2.0);
        let cy = PAGE_H / 2.0 - (sin * w / 2.0 + cos * h / 2.0);
        ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: handle(style.face),
                size: Pt(style.size),
            },
            Op::SetFillColor {
                col: style.ink.color(),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Raw([cos, sin, -sin, cos, cx, cy]),
            },
            Op::ShowText {
                items: vec![TextItem::Text(word.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    for item in items {
        if let Item::Path {
            points,
            thickness,
            ink,
        } = item
        {
            ops.push(Op::SetOutlineColor { col: ink.color() });
            ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: points
                        .iter()
                        .map(|&(x, y)| LinePoint {
                            p: point(x, y),
                            bezier: false,
                        })
                        .collect(),
                    is_closed: false,
                },
            });
        }
        if let Item::Line {
            x1,
            x2,
            y,
            thickness,
            ink,
        } = *item
        {
            ops.push(Op::SetOutlineColor { col: ink.color() });
            ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: point(x1, y),
                            bezier: false,
                        },
                        LinePoint {
                            p: point(x2, y),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
    }

    ops.push(Op::StartTextSection);
    let mut font: Option<(Face, f32)> = None;
    let mut ink: Option<Ink> = None;
    for item in items {
        if let Item::Text { x, y, style, text } = item {
            if font != Some((style.face, style.size)) {
                ops.push(Op::SetFont {
                    font: handle(style.face),
                    size: Pt(style.size),
                });
                font = Some((style.face, style.size));
            }
            if ink != Some(style.ink) {
                ops.push(Op::SetFillColor {
                    col: style.ink.color(),
                });
                ink = Some(style.ink);
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_H - *y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    ops.push(Op::EndTextSection);
    ops
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn missing_glyphs_become_question_marks_and_accents_stay() {
        let fonts = fonts().unwrap();
        assert_eq!(fonts.printable("Mei 名 Chen 🌿"), "Mei ? Chen ?");
        assert_eq!(
            fonts.printable("Zoë Núñez Søren Straße"),
            "Zoë Núñez Søren Straße"
        );
        assert_eq!(
            fonts.printable("\u{202E}fdp.exe\u{200F}"),
            "fdp.exe",
            "direction marks are dropped, not drawn"
        );
        // A combining accent is composed so the font's precomposed letter is used.
        assert_eq!(fonts.printable("Rene\u{301}e"), "Renée");
        assert_eq!(
            fonts.printable("a\tb"),
            "a b",
            "control characters become spaces"
        );
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        let fonts = fonts().unwrap();
        let style = Style::regular(10.0);
        let cases = [
            "Maximiliane Østergård-Lindqvist ".repeat(7),
            "X".repeat(200),
            "short".to_owned(),
            "two\nlines".to_owned(),
            String::new(),
        ];
        for text in &cases {
            let lines = fonts.wrap(style, text, 120.0);
            assert!(!lines.is_empty(), "wrapping always yields a line");
            for line in &lines {
                assert!(fonts.width(style, line) <= 120.0 + 0.01, "{line:?} fits");
            }
            let rejoined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            assert_eq!(rejoined, original, "wrapping loses no characters");
        }
        assert_eq!(fonts.wrap(style, "two\nlines", 500.0), ["two", "lines"]);
    }

    #[test]
    fn truncation_ends_with_an_ellipsis_and_fits() {
        let fonts = fonts().unwrap();
        let style = Style::regular(8.0);
        let cut = fonts.truncate(style, &"Union Square ".repeat(20), 100.0);
        assert!(cut.ends_with('…'));
        assert!(fonts.width(style, &cut) <= 100.0);
        assert_eq!(fonts.truncate(style, "Short", 100.0), "Short");
    }
}
