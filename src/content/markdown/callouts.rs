//! GitHub alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`,
//! `[!CAUTION]`; pulldown-cmark's GFM blockquote kinds) as callouts: a
//! `role="note"` box with a visible title and an icon, styled per kind by the
//! theme (light, dark and paper). A plain `>` quote stays a blockquote.

use pulldown_cmark::BlockQuoteKind;

use super::Renderer;

/// The kind's class suffix, its visible title and its icon (decorative).
pub fn callout_parts(kind: BlockQuoteKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note", "ⓘ"),
        BlockQuoteKind::Tip => ("tip", "Tip", "✦"),
        BlockQuoteKind::Important => ("important", "Important", "❢"),
        BlockQuoteKind::Warning => ("warning", "Warning", "⚠"),
        BlockQuoteKind::Caution => ("caution", "Caution", "⛔"),
    }
}

impl Renderer<'_, '_> {
    pub(super) fn open_callout(&mut self, kind: BlockQuoteKind) {
        let (class, title, icon) = callout_parts(kind);
        self.push_html(format!(
            "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\">{icon}</span> {title}</p>\n"
        ));
    }

    pub(super) fn close_callout(&mut self) {
        self.push_html("</div>\n");
    }
}
