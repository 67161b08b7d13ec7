using System;
using System.Globalization;

namespace SecureNmc.Core.Tests.Fuzz
{
    /// <summary>
    /// The seed of a fuzz run: SECURENMC_FUZZ_SEED when set (to reproduce a failure), otherwise a fixed
    /// base plus today's UTC date, so each day's CI run explores new inputs and any failure names a seed
    /// that reproduces it exactly.
    /// </summary>
    internal static class FuzzSeed
    {
        public const string EnvironmentVariable = "SECURENMC_FUZZ_SEED";
        private const int FixedBase = 13_000_000;

        public static int ForThisRun()
        {
            var set = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(set) && int.TryParse(set.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
                return seed;
            var today = DateTime.UtcNow;
            return FixedBase + today.Year * 10_000 + today.Month * 100 + today.Day;
        }

        /// <summary>The seed of one input: the run's seed, the format and the input's index.</summary>
        public static int ForInput(int runSeed, string format, int index)
        {
            unchecked
            {
                int h = runSeed * 16777619 ^ index;
                foreach (var c in format) h = (h ^ c) * 16777619;
                return h;
            }
        }
    }
}
