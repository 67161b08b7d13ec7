using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Bundles
{
    /// <summary>A fully verified bundle, its parts staged in a private folder deleted on Dispose.</summary>
    public sealed class VerifiedBundle : IDisposable
    {
        private readonly string _stagingFolder;

        internal VerifiedBundle(bool encrypted, IReadOnlyList<VerifiedBundlePart> parts, string stagingFolder)
        {
            Encrypted = encrypted;
            Parts = parts;
            _stagingFolder = stagingFolder;
        }

        public bool Encrypted { get; }
        public IReadOnlyList<VerifiedBundlePart> Parts { get; }

        public IEnumerable<VerifiedBundlePart> OfKind(BundlePartKind kind) => Parts.Where(p => p.Kind == kind);

        public void Dispose() => BundleReader.TryDelete(_stagingFolder);
    }
}
