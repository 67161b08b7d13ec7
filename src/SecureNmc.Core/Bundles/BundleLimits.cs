namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Bounds a reader enforces before allocating or writing anything, so a hostile bundle
    /// cannot exhaust memory or disk (oversized parts, endless decompression, huge counts,
    /// expensive key-derivation parameters).
    /// </summary>
    public sealed class BundleLimits
    {
        public int MaxEntries { get; set; } = 20000;
        public int MaxNameBytes { get; set; } = 200;
        public long MaxEntryBytes { get; set; } = 512L * 1024 * 1024;
        public long MaxTotalBytes { get; set; } = 4L * 1024 * 1024 * 1024;
        public int MaxManifestBytes { get; set; } = 8 * 1024 * 1024;
        public int MaxChunkBytes { get; set; } = 16 * 1024 * 1024;

        /// <summary>scrypt cost ceiling: log2(N) ≤ 20 and r·p bounded keeps derivation under ~1 GiB.</summary>
        public int MaxScryptLogN { get; set; } = 20;
        public int MaxScryptR { get; set; } = 16;
        public int MaxScryptP { get; set; } = 4;

        public static BundleLimits Default => new BundleLimits();
    }
}
