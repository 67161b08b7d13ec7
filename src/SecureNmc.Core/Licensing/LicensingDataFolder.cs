using System;
using System.IO;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// Licensing's part of the module's data folder: &lt;data&gt;/licensing/ holds the verified licence store,
    /// the encrypted stay-signed-in token and the offline requests awaiting a response.
    /// </summary>
    public sealed class LicensingDataFolder
    {
        public LicensingDataFolder(string dataFolder)
        {
            if (string.IsNullOrWhiteSpace(dataFolder)) throw new ArgumentException("The data folder path is empty.", nameof(dataFolder));
            Root = Path.Combine(Path.GetFullPath(dataFolder), "licensing");
        }

        public string Root { get; }
        public string LicenceStorePath => Path.Combine(Root, "licences.json");
        public string TokenPath => Path.Combine(Root, "account-token.bin");
        public string PendingRequestsFolder => Path.Combine(Root, "pending-requests");

        public string PendingRequestPath(string requestId) => Path.Combine(PendingRequestsFolder, requestId + ".json");

        internal void EnsureExists() => Directory.CreateDirectory(Root);
    }

    /// <summary>Writes a whole file or nothing: a crash mid-write leaves the previous file intact.</summary>
    internal static class AtomicFile
    {
        public static void WriteAllBytes(string path, byte[] content)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        public static void WriteAllText(string path, string text) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

        /// <summary>Reads a file refusing anything over <paramref name="maxBytes"/> (hostile or wrong files).</summary>
        public static string ReadAllTextBounded(string path, long maxBytes, string what)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new LicensingException(LicensingErrorCode.InvalidFile, $"The {what} {path} does not exist.");
            if (info.Length > maxBytes)
                throw new LicensingException(LicensingErrorCode.InvalidFile, $"The {what} {path} is {info.Length} bytes, more than the {maxBytes} bytes such a file can be.");
            return File.ReadAllText(path, System.Text.Encoding.UTF8);
        }
    }
}
