namespace SecureNmc.Core.Bundles
{
    /// <summary>What a bundle part holds; decides where an import puts it and how it is checked.</summary>
    public enum BundlePartKind : byte
    {
        /// <summary>Bundle metadata (what was exported, when, by which version).</summary>
        Metadata = 1,
        /// <summary>Device records, credentials included (only in password-protected bundles).</summary>
        Devices = 2,
        /// <summary>Signed licence records: imported only after their signatures check.</summary>
        Licences = 3,
        /// <summary>A firmware file: joins the cache only after its SHA-256 checks.</summary>
        Firmware = 4,
    }
}
