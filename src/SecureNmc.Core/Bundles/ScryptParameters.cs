namespace SecureNmc.Core.Bundles
{
    /// <summary>
    /// Cost of the memory-hard password key derivation (scrypt, RFC 7914). Stored in the bundle
    /// header so a reader derives the same key; bounded by <see cref="BundleLimits"/> on read.
    /// </summary>
    public sealed class ScryptParameters
    {
        public ScryptParameters(int logN, int r, int p)
        {
            LogN = logN;
            R = r;
            P = p;
        }

        public int LogN { get; }
        public int R { get; }
        public int P { get; }

        /// <summary>N = 2^17, r = 8, p = 1: about 128 MiB and well under a second per bundle.</summary>
        public static ScryptParameters Default { get; } = new ScryptParameters(17, 8, 1);
    }
}
