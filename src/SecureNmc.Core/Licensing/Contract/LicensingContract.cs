namespace SecureNmc.Core.Licensing.Contract
{
    /// <summary>Paths, formats and limits of the licensing contract (docs/licensing-contract.md).</summary>
    public static class LicensingContract
    {
        public const string SessionPath = "v1/session";
        public const string CheckPath = "v1/licences/check";
        public const string ActivatePath = "v1/licences/activate";
        public const string OfflineSubmitPath = "v1/offline/submit";

        public const string RequestFormat = "snmc-activation-request/1";
        public const string ResponseFormat = "snmc-activation-response/1";

        /// <summary>Most cards one check call or one offline request may carry.</summary>
        public const int MaxCardsPerCall = 500;

        /// <summary>Most entries an offline request file may carry (a fleet of thousands).</summary>
        public const int MaxEntriesPerOfflineRequest = 10000;

        public const string JsonMediaType = "application/json";
    }
}
