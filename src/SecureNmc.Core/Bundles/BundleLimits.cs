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

        /// <summary>Per-parameter scrypt ceilings (the combined bounds below are what limit the cost).</summary>
        public int MaxScryptLogN { get; set; } = 20;
        public int MaxScryptR { get; set; } = 16;
        public int MaxScryptP { get; set; } = 4;

        /// <summary>
        /// scrypt's memory is 128·r·N bytes: at most 256 MiB, twice the default (N=2^17, r=8). Each
        /// parameter alone within its ceiling still allowed 2 GiB (N=2^20, r=16), which BouncyCastle
        /// turned into ~6.5 GB and 48 s before "wrong password".
        /// </summary>
        public long MaxScryptMemoryBytes { get; set; } = 256L * 1024 * 1024;

        /// <summary>
        /// scrypt's work grows with N·r·p: at most 4x the default (2^22), a few seconds on a slow
        /// machine. The header is read before the password is checked, so this bounds what any file costs.
        /// </summary>
        public long MaxScryptWork { get; set; } = 1L << 22;

        /// <summary>Why these scrypt parameters are refused, or null when they are within the bounds.</summary>
        public string? ScryptProblem(int logN, int r, int p)
        {
            if (logN < 10 || logN > MaxScryptLogN || r < 1 || r > MaxScryptR || p < 1 || p > MaxScryptP)
                return $"N up to 2^{MaxScryptLogN}, r up to {MaxScryptR}, p up to {MaxScryptP}";
            long n = 1L << logN;
            if (128L * r * n > MaxScryptMemoryBytes)
                return $"128·r·N = {128L * r * n / (1024 * 1024)} MiB of memory, above {MaxScryptMemoryBytes / (1024 * 1024)} MiB";
            if (n * r * p > MaxScryptWork)
                return $"N·r·p = 2^{Log2(n * r * p)}, above 2^{Log2(MaxScryptWork)}";
            return null;
        }

        private static int Log2(long value)
        {
            int bits = 0;
            while ((value >>= 1) > 0) bits++;
            return bits;
        }

        public static BundleLimits Default => new BundleLimits();
    }
}
