namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// Keeps a CSV cell from being run as a formula when a spreadsheet opens the file (CSV / formula
    /// injection): a cell whose first character after any leading spaces is =, +, -, @, a tab or a
    /// carriage return (or their full-width forms) gets a leading apostrophe, which spreadsheets
    /// show as text and do not evaluate.
    /// </summary>
    public static class SpreadsheetSafety
    {
        private const string Triggers = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20";

        public static bool IsFormulaLike(string? cell)
        {
            if (string.IsNullOrEmpty(cell)) return false;
            int i = 0;
            while (i < cell!.Length && cell[i] == ' ') i++;
            return i < cell.Length && Triggers.IndexOf(cell[i]) >= 0;
        }

        public static string Neutralize(string? cell)
        {
            if (cell == null) return "";
            return IsFormulaLike(cell) ? "'" + cell : cell;
        }
    }
}
