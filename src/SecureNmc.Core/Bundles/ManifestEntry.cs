namespace SecureNmc.Core.Bundles
{
    /// <summary>One line of the payload manifest, written before any part data.</summary>
    internal sealed class ManifestEntry
    {
        public string Name { get; set; } = "";
        public BundlePartKind Kind { get; set; }
        /// <summary>0 = stored, 1 = deflate.</summary>
        public byte Compression { get; set; }
        public ulong Length { get; set; }
        public ulong StoredLength { get; set; }
        public byte[] Sha256 { get; set; } = new byte[32];
    }
}
