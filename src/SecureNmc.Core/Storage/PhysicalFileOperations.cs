using System;
using System.IO;
using System.Threading;

namespace SecureNmc.Core.Storage
{
    /// <summary>The real file system.</summary>
    public sealed class PhysicalFileOperations : IFileOperations
    {
        public static PhysicalFileOperations Instance { get; } = new PhysicalFileOperations();

        public bool FileExists(string path) => File.Exists(path);
        public bool DirectoryExists(string path) => Directory.Exists(path);

        public void CreateDirectory(string path) => CreateOwnerOnlyDirectory(path);

        /// <summary>
        /// Creates the folder and every missing parent, each owner-only (0700) on Unix: the data folder
        /// holds protected credentials, the key that opens them, backups of card configurations and
        /// firmware. Folders that already exist are left as they are.
        /// </summary>
        public static void CreateOwnerOnlyDirectory(string path)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full)) return;
            var parent = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent)) CreateOwnerOnlyDirectory(parent!);
            Directory.CreateDirectory(full);
            UnixFilePermissions.TrySetOwnerOnly(full, isDirectory: true);
        }

        public Stream OpenRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);

        /// <summary>Creates the file owner-only (0600) from the first instant on Unix: it is never readable by others.</summary>
        public Stream CreateNew(string path) => UnixFilePermissions.CreateOwnerOnlyFile(path, 64 * 1024);

        public void Write(Stream stream, byte[] data) => stream.Write(data, 0, data.Length);

        public void FlushToDisk(Stream stream)
        {
            if (stream is FileStream fs) fs.Flush(flushToDisk: true);
            else stream.Flush();
        }

        public void Close(Stream stream) => stream.Dispose();

        public void Replace(string source, string destination)
        {
            // rename(2) on Unix and MoveFileEx/ReplaceFile on Windows swap the directory entry in one
            // step. On Windows a virus scanner or a reader may hold the file for a moment: retry briefly.
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    if (File.Exists(destination)) File.Replace(source, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
                    else File.Move(source, destination);
                    return;
                }
                catch (IOException) when (attempt < 10 && IsWindows)
                {
                    Thread.Sleep(20 * attempt);
                }
                catch (UnauthorizedAccessException) when (attempt < 10 && IsWindows)
                {
                    Thread.Sleep(20 * attempt);
                }
            }
        }

        public void Delete(string path) => File.Delete(path);

        public string[] GetFiles(string directory, string searchPattern) =>
            Directory.Exists(directory) ? Directory.GetFiles(directory, searchPattern) : Array.Empty<string>();

        private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
    }
}
