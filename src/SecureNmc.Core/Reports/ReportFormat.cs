namespace SecureNmc.Core.Reports
{
    /// <summary>Export-NmcReport's -Format: the HTML page, or the same data for spreadsheets (CSV) or dashboards (JSON).</summary>
    public enum ReportFormat
    {
        Html,
        Csv,
        Json,
    }
}
