using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Firmware.Catalog
{
    /// <summary>
    /// Client of the firmware catalog service (docs/firmware-catalog.md): <c>GET {base}index.json</c>
    /// lists the packages, <c>GET {base}files/{fileName}</c> returns one. Every download is checked
    /// against the index's size and SHA-256 before it is kept.
    /// </summary>
    public sealed class FirmwareCatalogClient : IDisposable
    {
        public const string IndexPath = "index.json";
        public const string FilesPath = "files/";

        /// <summary>An index larger than this is refused rather than read into memory.</summary>
        private const int MaxIndexBytes = 8 * 1024 * 1024;

        private readonly HttpClient _http;
        private readonly bool _ownsHttp;

        public FirmwareCatalogClient(Uri baseUrl, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
        {
            if (baseUrl == null) throw new ArgumentNullException(nameof(baseUrl));
            if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"The firmware catalog URL '{baseUrl}' must be an absolute http:// or https:// address.", nameof(baseUrl));
            var text = baseUrl.AbsoluteUri;
            BaseUrl = new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
            _http = handler == null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            _ownsHttp = true;
            _http.Timeout = timeout ?? TimeSpan.FromMinutes(10);
        }

        public Uri BaseUrl { get; }

        public Uri IndexUrl => new Uri(BaseUrl, IndexPath);

        public Uri FileUrl(string fileName) => new Uri(BaseUrl, FilesPath + Uri.EscapeDataString(fileName));

        public async Task<CatalogIndex> GetIndexAsync(CancellationToken cancellationToken)
        {
            byte[] body;
            using (var response = await _http.GetAsync(IndexUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                    throw new FirmwareCatalogException($"The firmware catalog service at {IndexUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    body = await ReadBoundedAsync(stream, MaxIndexBytes, cancellationToken).ConfigureAwait(false);
            }
            CatalogIndexDocument doc;
            try
            {
                doc = CatalogJson.Deserialize(body, IndexUrl.ToString());
            }
            catch (InvalidDataException ex)
            {
                throw new FirmwareCatalogException(ex.Message, ex);
            }
            var packages = new List<FirmwarePackage>();
            var problems = new List<string>();
            foreach (var entry in doc.Packages)
            {
                if (CatalogEntryMapper.TryToPackage(entry, out var p, out var problem))
                {
                    p!.Source = FirmwareSource.CatalogService;
                    packages.Add(p);
                }
                else problems.Add(problem!);
            }
            return new CatalogIndex(packages, problems);
        }

        /// <summary>
        /// Downloads the package to <paramref name="destinationPath"/>: written to a temporary file,
        /// checked (exact size, SHA-256), then moved into place. A bad download leaves nothing behind.
        /// </summary>
        public async Task DownloadAsync(FirmwarePackage package, string destinationPath, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
        {
            var url = FileUrl(package.FileName);
            var temp = destinationPath + "." + Guid.NewGuid().ToString("N") + ".partial";
            try
            {
                using (var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    if (!response.IsSuccessStatusCode)
                        throw new FirmwareCatalogException($"The firmware catalog service answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}.");
                    using (var input = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    using (var sha = SHA256.Create())
                    {
                        var buffer = new byte[1 << 16];
                        long total = 0;
                        int read;
                        while ((read = await input.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            total += read;
                            if (total > package.Size)
                                throw new FirmwareIntegrityException(package.FileName, $"The download of {package.FileName} from {url} is longer than the {package.Size} bytes the index lists; it was discarded.");
                            sha.TransformBlock(buffer, 0, read, null, 0);
                            await output.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                            progress?.Report(new TransferProgress(total, package.Size));
                        }
                        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
                        if (total != package.Size)
                            throw new FirmwareIntegrityException(package.FileName, $"The download of {package.FileName} from {url} ended after {total} of {package.Size} bytes; it was discarded.");
                        var actual = Sha256Hex.ToHex(sha.Hash);
                        if (!Sha256Hex.Same(actual, package.Sha256))
                            throw new FirmwareIntegrityException(package.FileName, $"The download of {package.FileName} from {url} has SHA-256 {actual}, not the {package.Sha256} the index lists; it was discarded.");
                        output.Flush(flushToDisk: true);
                    }
                }
                FirmwareLibrary.ReplaceFile(temp, destinationPath);
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { }
            }
        }

        private static async Task<byte[]> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
        {
            using (var ms = new MemoryStream())
            {
                var buffer = new byte[16384];
                int read;
                while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (ms.Length + read > limit) throw new FirmwareCatalogException($"The firmware catalog index is larger than {limit} bytes; refusing to read it.");
                    ms.Write(buffer, 0, read);
                }
                return ms.ToArray();
            }
        }

        public void Dispose()
        {
            if (_ownsHttp) _http.Dispose();
        }
    }

    public sealed class CatalogIndex
    {
        public CatalogIndex(IReadOnlyList<FirmwarePackage> packages, IReadOnlyList<string> problems)
        {
            Packages = packages;
            Problems = problems;
        }

        public IReadOnlyList<FirmwarePackage> Packages { get; }

        /// <summary>Entries the client refused (name and fields disagree, bad hash...), one sentence each.</summary>
        public IReadOnlyList<string> Problems { get; }
    }

    public sealed class FirmwareCatalogException : Exception
    {
        public FirmwareCatalogException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
