using System;
using System.IO;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// Licensing's part of the module's data folder (<see cref="DataFolder.LicensesFolder"/>, &lt;data&gt;/Licenses):
    /// the verified licence store, the encrypted stay-signed-in token and the offline requests awaiting a response.
    /// </summary>
    public sealed class LicensingDataFolder
    {
        public LicensingDataFolder(DataFolder dataFolder)
        {
            if (dataFolder == null) throw new ArgumentNullException(nameof(dataFolder));
            Root = dataFolder.LicensesFolder;
        }

        public string Root { get; }
        public string LicenceStorePath => Path.Combine(Root, "licences.json");
        public string TokenPath => Path.Combine(Root, "account-token.bin");
        public string PendingRequestsFolder => Path.Combine(Root, "pending-requests");

        public string PendingRequestPath(string requestId) => Path.Combine(PendingRequestsFolder, requestId + ".json");

        internal void EnsureExists() => PhysicalFileOperations.Instance.CreateDirectory(Root);
    }

    /// <summary>Writes a whole file or nothing: a crash mid-write leaves the previous file intact.</summary>
    internal static class AtomicFile
    {
        private static readonly AtomicFileWriter Writer = new AtomicFileWriter();

        /// <summary>The inventory's atomic writer: temporary file, fsync, rename over the target.</summary>
        public static void WriteAllBytes(string path, byte[] content) => Writer.WriteAllBytes(path, content);

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
