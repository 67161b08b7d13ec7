using System.Text;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Builds one inline SVG element as text: every attribute value and text node goes through
    /// <see cref="Markup"/>, so the result is well-formed XML whatever the labels hold. Colours are
    /// CSS classes (the page's stylesheet picks them per colour scheme), never inline colours.
    /// </summary>
    internal sealed class SvgCanvas
    {
        private readonly StringBuilder _sb = new StringBuilder();

        public SvgCanvas(string id, string title, double width, double height, bool wide = false)
        {
            // A wide chart (timeline, progress) stretches to the panel; the others keep their drawn size.
            _sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart").Append(wide ? " wide" : "").Append("\" id=\"").Append(Markup.Escape(id))
               .Append("\" viewBox=\"0 0 ").Append(Markup.Number(width)).Append(' ').Append(Markup.Number(height))
               .Append("\" width=\"").Append(Markup.Number(width)).Append("\" height=\"").Append(Markup.Number(height))
               .Append("\" role=\"img\" aria-labelledby=\"").Append(Markup.Escape(id)).Append("-title\">")
               .Append("<title id=\"").Append(Markup.Escape(id)).Append("-title\">").Append(Markup.Escape(title)).Append("</title>");
        }

        public SvgCanvas Rect(double x, double y, double w, double h, string cssClass, string? tooltip = null)
        {
            _sb.Append("<rect x=\"").Append(Markup.Number(x)).Append("\" y=\"").Append(Markup.Number(y))
               .Append("\" width=\"").Append(Markup.Number(w < 0 ? 0 : w)).Append("\" height=\"").Append(Markup.Number(h < 0 ? 0 : h))
               .Append("\" class=\"").Append(Markup.Escape(cssClass)).Append('"');
            return CloseWithTooltip("rect", tooltip);
        }

        public SvgCanvas Line(double x1, double y1, double x2, double y2, string cssClass)
        {
            _sb.Append("<line x1=\"").Append(Markup.Number(x1)).Append("\" y1=\"").Append(Markup.Number(y1))
               .Append("\" x2=\"").Append(Markup.Number(x2)).Append("\" y2=\"").Append(Markup.Number(y2))
               .Append("\" class=\"").Append(Markup.Escape(cssClass)).Append("\"/>");
            return this;
        }

        public SvgCanvas Circle(double cx, double cy, double r, string cssClass, string? tooltip = null, string? extraAttributes = null)
        {
            _sb.Append("<circle cx=\"").Append(Markup.Number(cx)).Append("\" cy=\"").Append(Markup.Number(cy))
               .Append("\" r=\"").Append(Markup.Number(r)).Append("\" class=\"").Append(Markup.Escape(cssClass)).Append('"');
            if (extraAttributes != null) _sb.Append(' ').Append(extraAttributes);
            return CloseWithTooltip("circle", tooltip);
        }

        /// <summary>A path; <paramref name="data"/> is built from numbers by the caller, never from user text.</summary>
        public SvgCanvas Path(string data, string cssClass)
        {
            _sb.Append("<path d=\"").Append(Markup.Escape(data)).Append("\" class=\"").Append(Markup.Escape(cssClass)).Append("\"/>");
            return this;
        }

        /// <param name="anchor">start, middle or end.</param>
        public SvgCanvas Text(double x, double y, string text, string cssClass = "label", string anchor = "start")
        {
            _sb.Append("<text x=\"").Append(Markup.Number(x)).Append("\" y=\"").Append(Markup.Number(y))
               .Append("\" class=\"").Append(Markup.Escape(cssClass)).Append("\" text-anchor=\"").Append(Markup.Escape(anchor)).Append("\">")
               .Append(Markup.Escape(text)).Append("</text>");
            return this;
        }

        private SvgCanvas CloseWithTooltip(string element, string? tooltip)
        {
            if (tooltip == null) { _sb.Append("/>"); return this; }
            _sb.Append("><title>").Append(Markup.Escape(tooltip)).Append("</title></").Append(element).Append('>');
            return this;
        }

        public override string ToString() => _sb.ToString() + "</svg>";
    }
}
