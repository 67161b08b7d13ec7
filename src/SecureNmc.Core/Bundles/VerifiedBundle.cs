using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Bundles
{
    /// <summary>A fully verified bundle, its parts staged in a private folder deleted on Dispose.</summary>
    public sealed class VerifiedBundle : IDisposable
    {
        private readonly string _stagingFolder;

        internal VerifiedBundle(bool encrypted, IReadOnlyList<VerifiedBundlePart> parts, string stagingFolder, BundleSecretBox? secretBox = null)
        {
            Encrypted = encrypted;
            SecretBox = secretBox;
            Parts = parts;
            _stagingFolder = stagingFolder;
        }

        public bool Encrypted { get; }

        /// <summary>Opens the device passwords sealed in the devices part; null for an unencrypted bundle.</summary>
        public BundleSecretBox? SecretBox { get; }
        public IReadOnlyList<VerifiedBundlePart> Parts { get; }

        public IEnumerable<VerifiedBundlePart> OfKind(BundlePartKind kind) => Parts.Where(p => p.Kind == kind);

        public void Dispose()
        {
            SecretBox?.Dispose();
            BundleReader.TryDelete(_stagingFolder);
        }
    }
}
