using System;
using System.IO;

namespace SecureNmc.Core.Bundles
{
    /// <summary>A part to write: small structured content held in memory (compressed) or a file streamed as is.</summary>
    public sealed class BundlePartSource
    {
        /// <summary>In-memory content (metadata, devices, licences); stored deflate-compressed.</summary>
        public BundlePartSource(string name, BundlePartKind kind, byte[] content)
        {
            Name = name;
            Kind = kind;
            Content = content ?? throw new ArgumentNullException(nameof(content));
        }

        /// <summary>A file (firmware) streamed into the bundle uncompressed: firmware is already compressed.</summary>
        public BundlePartSource(string name, BundlePartKind kind, string filePath)
        {
            Name = name;
            Kind = kind;
            FilePath = filePath ?? throw new ArgumentNullException(nameof(filePath));
        }

        public string Name { get; }
        public BundlePartKind Kind { get; }
        public byte[]? Content { get; }
        public string? FilePath { get; }
    }

    /// <summary>A part read back from a bundle whose every hash and tag has been verified.</summary>
    public sealed class VerifiedBundlePart
    {
        internal VerifiedBundlePart(string name, BundlePartKind kind, long length, byte[] sha256, string stagedPath)
        {
            Name = name;
            Kind = kind;
            Length = length;
            Sha256 = sha256;
            StagedPath = stagedPath;
        }

        public string Name { get; }
        public BundlePartKind Kind { get; }
        public long Length { get; }
        public byte[] Sha256 { get; }
        public string Sha256Hex => BitConverter.ToString(Sha256).Replace("-", "").ToLowerInvariant();

        /// <summary>The verified bytes, in the bundle's private staging folder until it is disposed.</summary>
        public string StagedPath { get; }

        public byte[] ReadAllBytes() => File.ReadAllBytes(StagedPath);
    }
}
