using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>Makes fake (but deterministic) .nmc3 files: the product treats contents as opaque.</summary>
    public static class TestFirmware
    {
        public static string FileName(ApplicationType app, string version, int hardware = 21) =>
            FirmwarePackageName.Format(hardware, app, FirmwareVersion.Parse(version));

        /// <summary>Writes a package file of <paramref name="size"/> bytes derived from its name; returns the path.</summary>
        public static string Write(string folder, ApplicationType app, string version, int size = 20_000, int hardware = 21)
        {
            var name = FileName(app, version, hardware);
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, Content(name, size));
            return path;
        }

        public static byte[] Content(string name, int size)
        {
            var data = new byte[size];
            var seed = Encoding.UTF8.GetBytes(name);
            using (var sha = SHA256.Create())
            {
                var block = sha.ComputeHash(seed);
                for (int i = 0; i < size; i++)
                {
                    if (i % block.Length == 0 && i > 0) block = sha.ComputeHash(block);
                    data[i] = block[i % block.Length];
                }
            }
            return data;
        }

        public static string Sha256Of(string path)
        {
            using (var sha = SHA256.Create())
            using (var f = File.OpenRead(path))
                return string.Concat(sha.ComputeHash(f).Select(b => b.ToString("x2")));
        }

        /// <summary>A library in <paramref name="root"/>/cache holding the given (app, version) packages, imported.</summary>
        public static FirmwareLibrary Library(string root, params (ApplicationType App, string Version)[] packages)
        {
            var downloads = Path.Combine(root, "downloads");
            Directory.CreateDirectory(downloads);
            var library = new FirmwareLibrary(Path.Combine(root, "cache"));
            foreach (var (app, version) in packages) library.Import(Write(downloads, app, version));
            return library;
        }
    }
}
