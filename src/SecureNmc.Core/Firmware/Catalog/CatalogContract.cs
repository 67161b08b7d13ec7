using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace SecureNmc.Core.Firmware.Catalog
{
    /// <summary>
    /// The JSON document the catalog service publishes at <c>index.json</c> and the cache keeps as
    /// <c>catalog.json</c> (docs/firmware-catalog.md). Member names are the wire names.
    /// </summary>
    [DataContract]
    public sealed class CatalogIndexDocument
    {
        public const int CurrentFormatVersion = 1;

        [DataMember(Name = "formatVersion", Order = 0)] public int FormatVersion { get; set; } = CurrentFormatVersion;
        [DataMember(Name = "generated", Order = 1, EmitDefaultValue = false)] public string? Generated { get; set; }
        [DataMember(Name = "packages", Order = 2)] public List<CatalogPackageEntry> Packages { get; set; } = new List<CatalogPackageEntry>();
    }

    [DataContract]
    public sealed class CatalogPackageEntry
    {
        [DataMember(Name = "fileName", Order = 0)] public string? FileName { get; set; }
        [DataMember(Name = "hardware", Order = 1)] public int Hardware { get; set; }
        [DataMember(Name = "applicationType", Order = 2)] public string? ApplicationType { get; set; }
        [DataMember(Name = "version", Order = 3)] public string? Version { get; set; }
        [DataMember(Name = "size", Order = 4)] public long Size { get; set; }
        [DataMember(Name = "sha256", Order = 5)] public string? Sha256 { get; set; }
        [DataMember(Name = "releaseNotesUrl", Order = 6, EmitDefaultValue = false)] public string? ReleaseNotesUrl { get; set; }
        [DataMember(Name = "bootloaderVersion", Order = 7, EmitDefaultValue = false)] public string? BootloaderVersion { get; set; }
        /// <summary>Cache catalog only: "Imported" or "CatalogService".</summary>
        [DataMember(Name = "source", Order = 8, EmitDefaultValue = false)] public string? Source { get; set; }
        /// <summary>Cache catalog only: ISO 8601 time the package was added.</summary>
        [DataMember(Name = "added", Order = 9, EmitDefaultValue = false)] public string? Added { get; set; }
    }

    internal static class CatalogJson
    {
        private static readonly DataContractJsonSerializer Serializer = new DataContractJsonSerializer(typeof(CatalogIndexDocument));

        public static byte[] Serialize(CatalogIndexDocument document)
        {
            using (var ms = new MemoryStream())
            {
                Serializer.WriteObject(ms, document);
                return ms.ToArray();
            }
        }

        /// <summary>Throws <see cref="InvalidDataException"/> with a plain reason when the text is not a catalog.</summary>
        public static CatalogIndexDocument Deserialize(byte[] json, string origin)
        {
            try
            {
                using (var ms = new MemoryStream(json))
                {
                    var doc = Serializer.ReadObject(ms) as CatalogIndexDocument;
                    if (doc == null) throw new InvalidDataException($"The firmware catalog from {origin} is empty.");
                    if (doc.FormatVersion != CatalogIndexDocument.CurrentFormatVersion)
                        throw new InvalidDataException($"The firmware catalog from {origin} has format version {doc.FormatVersion}; this module reads version {CatalogIndexDocument.CurrentFormatVersion}.");
                    doc.Packages ??= new List<CatalogPackageEntry>();
                    return doc;
                }
            }
            catch (SerializationException ex)
            {
                throw new InvalidDataException($"The firmware catalog from {origin} is not valid JSON in the expected shape: {ex.Message}", ex);
            }
        }

        public static string ToText(CatalogIndexDocument document) => Encoding.UTF8.GetString(Serialize(document));
    }
}
