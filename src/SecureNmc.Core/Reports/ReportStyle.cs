namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// The report's stylesheet and self-check script, inline so the file needs nothing else to open.
    /// Colours are variables switched by prefers-color-scheme; the print rules give white paper,
    /// no shadows, and sections that do not break across pages where avoidable.
    /// </summary>
    internal static class ReportStyle
    {
        public const string Css = @"
:root{color-scheme:light dark;--bg:#f6f7f9;--panel:#fff;--text:#1d232b;--muted:#5d6875;--line:#d9dee4;
--good:#1f8a4c;--info:#2f6fd0;--warn:#c97a00;--bad:#c8322b;--mute:#9aa4ae;--warnbg:#fff4de;--badbg:#fde8e7;
--s0:#2f6fd0;--s1:#1f8a4c;--s2:#8a4fd0;--s3:#d06b2f;--s4:#1996a8;--s5:#b0487a}
@media (prefers-color-scheme:dark){:root{--bg:#12161b;--panel:#1b2128;--text:#e6eaef;--muted:#9aa6b2;--line:#2f3842;
--good:#4cc27d;--info:#6aa1ff;--warn:#f0a830;--bad:#ff6b61;--mute:#6b7682;--warnbg:#3a2d12;--badbg:#3d1a18;
--s0:#6aa1ff;--s1:#4cc27d;--s2:#b58cff;--s3:#ff9a5c;--s4:#4fd0e0;--s5:#ff7fb5}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:26px}
.sub{color:var(--muted);margin:0}
h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0 0 8px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:18px}
.tile{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.tile .n{font-size:28px;font-weight:650}
.tile .t{color:var(--muted);font-size:13px}
.tile.tone-warn .n{color:var(--warn)}.tile.tone-bad .n{color:var(--bad)}.tile.tone-good .n{color:var(--good)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px;overflow:hidden}
svg.chart{max-width:100%;height:auto;display:block}svg.chart.wide{width:100%}
svg .label{fill:var(--text);font-size:12px}svg .value{font-weight:600}svg .muted{fill:var(--muted)}
svg .axis{fill:var(--muted);font-size:11px}svg .strong{font-weight:600;fill:var(--text)}
svg .gridline{stroke:var(--line);stroke-width:1}svg .axis-line{stroke:var(--muted);stroke-width:1}
svg .today{stroke:var(--text);stroke-width:1.5;stroke-dasharray:4 3}
svg .warning-window{fill:var(--warn);opacity:.16}
svg .donut-track{fill:none;stroke:var(--line)}svg .donut-slice{fill:none}
svg .donut-caption{fill:var(--text);font-size:22px;font-weight:650}
svg .line{fill:none;stroke-width:2.5}svg .point{stroke:var(--panel);stroke-width:1}
.tone-good{fill:var(--good);stroke:var(--good)}.tone-info{fill:var(--info);stroke:var(--info)}
.tone-warn{fill:var(--warn);stroke:var(--warn)}.tone-bad{fill:var(--bad);stroke:var(--bad)}.tone-muted{fill:var(--mute);stroke:var(--mute)}
svg .bar,svg .legend,svg .marker{stroke:none}
.series-0{fill:var(--s0)}.series-1{fill:var(--s1)}.series-2{fill:var(--s2)}.series-3{fill:var(--s3)}.series-4{fill:var(--s4)}.series-5{fill:var(--s5)}
svg .line.series-finished{stroke:var(--info);fill:none}svg .line.series-updated{stroke:var(--good);fill:none}
svg .point.series-finished,svg .legend.series-finished{fill:var(--info)}svg .legend.series-updated{fill:var(--good)}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top;white-space:nowrap}td.wrap{white-space:normal;min-width:240px}
th{color:var(--muted);font-weight:600}
tr.row-warn td{background:var(--warnbg)}tr.row-bad td{background:var(--badbg)}
.pill{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--mute)}
.pill.tone-good{background:var(--good)}.pill.tone-info{background:var(--info)}.pill.tone-warn{background:var(--warn)}.pill.tone-bad{background:var(--bad)}
.note{color:var(--muted)}
.guidance{max-width:520px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media print{:root{--bg:#fff;--panel:#fff;--text:#000;--muted:#444;--line:#bbb;--warnbg:#fff4de;--badbg:#fde8e7}
body{font-size:11px}main{max-width:none;padding:0}.panel,.tile{break-inside:avoid;border-color:#bbb}
section{break-inside:auto}h2{break-after:avoid}tr{break-inside:avoid}.grid{grid-template-columns:1fr 1fr}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
";

        /// <summary>
        /// Marks the page once it has rendered: data-report-check = ok when every chart drew something,
        /// data-report-charts = how many there are, and the colour scheme and page background in use.
        /// A browser test reads them from the DOM (no console needed); the page works without them.
        /// </summary>
        public const string SelfCheck =
            "(function(){var charts=document.querySelectorAll('svg.chart'),drawn=0;" +
            "for(var i=0;i<charts.length;i++){var b=charts[i].getBBox();if(b.width>0&&b.height>0)drawn++;}" +
            "var root=document.documentElement;root.setAttribute('data-report-charts',String(charts.length));" +
            "root.setAttribute('data-report-check',drawn===charts.length&&charts.length>0?'ok':'charts-empty');" +
            "root.setAttribute('data-report-scheme',window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light');" +
            "root.setAttribute('data-report-background',getComputedStyle(document.body).backgroundColor);})();";
    }
}
