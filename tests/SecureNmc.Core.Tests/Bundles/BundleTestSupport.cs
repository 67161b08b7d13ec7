using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Core.Bundles;

namespace SecureNmc.Core.Tests.Bundles
{
    /// <summary>Cheap scrypt cost and forged payloads for the hostile-bundle tests.</summary>
    internal static class BundleTestSupport
    {
        public static readonly ScryptParameters CheapCost = new ScryptParameters(10, 8, 1);
        public static readonly char[] Password = "correct horse battery staple".ToCharArray();

        public sealed class ForgedEntry
        {
            public string Name = "devices.json";
            public BundlePartKind Kind = BundlePartKind.Devices;
            public byte Compression;
            public byte[] Stored = Array.Empty<byte>();
            public ulong? DeclaredLength;
            public ulong? DeclaredStoredLength;
            public byte[]? DeclaredSha256;
            public byte[]? ActualContent;
        }

        public static ForgedEntry Plain(string name, byte[] content, BundlePartKind kind = BundlePartKind.Devices) =>
            new ForgedEntry { Name = name, Kind = kind, Stored = content, ActualContent = content };

        public static byte[] Deflate(byte[] content)
        {
            var ms = new MemoryStream();
            using (var d = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) d.Write(content, 0, content.Length);
            return ms.ToArray();
        }

        /// <summary>A correctly sealed bundle whose manifest says whatever the entries declare.</summary>
        public static byte[] Forge(IReadOnlyList<ForgedEntry> entries, char[]? password = null, uint? declaredCount = null, bool endMarker = true)
        {
            var output = new MemoryStream();
            BundleWriter.WriteRaw(output, password, CheapCost, 1024, payload =>
            {
                var manifest = new MemoryStream();
                Write32(manifest, declaredCount ?? (uint)entries.Count);
                foreach (var e in entries)
                {
                    var name = Encoding.UTF8.GetBytes(e.Name);
                    manifest.WriteByte((byte)(name.Length >> 8));
                    manifest.WriteByte((byte)name.Length);
                    manifest.Write(name, 0, name.Length);
                    manifest.WriteByte((byte)e.Kind);
                    manifest.WriteByte(e.Compression);
                    ulong length = e.DeclaredLength ?? (ulong)(e.ActualContent ?? e.Stored).Length;
                    Write64(manifest, length);
                    Write64(manifest, e.DeclaredStoredLength ?? (ulong)e.Stored.Length);
                    var hash = e.DeclaredSha256 ?? SHA256.HashData(e.ActualContent ?? e.Stored);
                    manifest.Write(hash, 0, 32);
                }
                Write32(payload, (uint)manifest.Length);
                manifest.Position = 0;
                manifest.CopyTo(payload);
                foreach (var e in entries) payload.Write(e.Stored, 0, e.Stored.Length);
                if (endMarker) payload.Write(Encoding.ASCII.GetBytes("SNMCEND1"));
            });
            return output.ToArray();
        }

        private static void Write32(Stream s, uint v)
        {
            s.WriteByte((byte)(v >> 24)); s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v);
        }

        private static void Write64(Stream s, ulong v)
        {
            Write32(s, (uint)(v >> 32));
            Write32(s, (uint)v);
        }
    }

    /// <summary>A temp folder per test, removed afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securenmc-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try { Directory.Delete(Path, true); } catch (IOException) { }
        }
    }
}
