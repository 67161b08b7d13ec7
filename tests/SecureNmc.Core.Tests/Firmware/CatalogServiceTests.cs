using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Firmware.Catalog;
using SecureNmc.Core.Tests.TestSupport;

namespace SecureNmc.Core.Tests.Firmware
{
    /// <summary>The catalog client and the service side together, over HTTP on 127.0.0.1.</summary>
    public class CatalogServiceTests
    {
        private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

        private static string PublishFolder(TempFolder temp)
        {
            var folder = temp.Sub("published");
            TestFirmware.Write(folder, ApplicationType.SU, "2.4.0.1");
            TestFirmware.Write(folder, ApplicationType.SU, "2.5.0.6", size: 300_000);
            TestFirmware.Write(folder, ApplicationType.RPDU2G, "2.7.0.2");
            File.WriteAllText(Path.Combine(folder, "readme.txt"), "not firmware");
            File.WriteAllText(Path.Combine(folder, FirmwareCatalogService.MetadataFileName),
                "{\"formatVersion\":1,\"packages\":[{\"fileName\":\"apc_hw21_su_2.5.0.6.nmc3\",\"releaseNotesUrl\":\"https://example.invalid/notes/su-2.5.0.6\",\"bootloaderVersion\":\"1.6.0.1\"}]}");
            return folder;
        }

        [Fact]
        public async Task Client_reads_the_index_the_service_builds_from_a_folder()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            using var client = new FirmwareCatalogClient(host.BaseUrl);

            var index = await client.GetIndexAsync(Timeout);

            Assert.Empty(index.Problems);
            Assert.Equal(3, index.Packages.Count);
            var su = index.Packages.Single(p => p.FileName == "apc_hw21_su_2.5.0.6.nmc3");
            Assert.Equal(300_000, su.Size);
            Assert.Equal(TestFirmware.Sha256Of(Path.Combine(folder, su.FileName)), su.Sha256);
            Assert.Equal("https://example.invalid/notes/su-2.5.0.6", su.ReleaseNotesUrl);
            Assert.Equal(FirmwareVersion.Parse("1.6.0.1"), su.BootloaderVersion);
            Assert.StartsWith("http://127.0.0.1:", host.BaseUrl.ToString());
        }

        [Fact]
        public async Task Library_refreshes_from_the_service_downloads_on_demand_verifies_and_does_not_fetch_twice()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            var lib = new FirmwareLibrary(temp.Sub("cache"), new FirmwareCatalogClient(host.BaseUrl));

            var refresh = await lib.RefreshFromServiceAsync(Timeout);
            Assert.Equal(3, refresh.Added.Count);
            var catalog = lib.GetCatalog();
            Assert.All(catalog.Packages, p => Assert.False(p.IsCached));
            var latest = catalog.Latest(ApplicationType.SU, 21)!;
            Assert.Equal("2.5.0.6", latest.Version.ToString());

            using (var file = await lib.OpenVerifiedAsync(latest, Timeout))
                Assert.Equal(latest.Size, file.Length);
            Assert.Equal(latest.Sha256, TestFirmware.Sha256Of(lib.PathOf(latest)));
            var requests = host.RequestCount;
            using (await lib.OpenVerifiedAsync(latest, Timeout)) { }
            Assert.Equal(requests, host.RequestCount);
            Assert.True(lib.GetCatalog().FindByFileName(latest.FileName)!.IsCached);
        }

        [Fact]
        public async Task A_download_whose_bytes_differ_from_the_index_is_discarded()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            var lib = new FirmwareLibrary(temp.Sub("cache"), new FirmwareCatalogClient(host.BaseUrl));
            await lib.RefreshFromServiceAsync(Timeout);
            var su = lib.GetCatalog().FindByFileName("apc_hw21_su_2.4.0.1.nmc3")!;
            var rpdu = lib.GetCatalog().FindByFileName("apc_hw21_rpdu2g_2.7.0.2.nmc3")!;

            // The service's file changes after the index was read: same size, other bytes; and a truncation.
            var bytes = File.ReadAllBytes(Path.Combine(folder, su.FileName));
            bytes[5] ^= 1;
            File.WriteAllBytes(Path.Combine(folder, su.FileName), bytes);
            using (var f = new FileStream(Path.Combine(folder, rpdu.FileName), FileMode.Open)) f.SetLength(100);

            var changed = await Assert.ThrowsAsync<FirmwareIntegrityException>(() => lib.OpenVerifiedAsync(su, Timeout));
            Assert.Contains("SHA-256", changed.Message);
            var shortened = await Assert.ThrowsAsync<FirmwareIntegrityException>(() => lib.OpenVerifiedAsync(rpdu, Timeout));
            Assert.Contains("ended after 100", shortened.Message);
            Assert.False(File.Exists(lib.PathOf(su)));
            Assert.False(File.Exists(lib.PathOf(rpdu)));
            Assert.Empty(Directory.GetFiles(lib.PackagesFolder)); // no partial file left behind
        }

        [Fact]
        public async Task A_service_listing_other_bytes_under_a_cached_name_does_not_replace_the_cached_record()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            var cache = temp.Sub("cache");
            var lib = new FirmwareLibrary(cache, null);
            var mine = Path.Combine(temp.Sub("mine"), "apc_hw21_su_2.4.0.1.nmc3");
            File.WriteAllBytes(mine, TestFirmware.Content("something else", 5000));
            var imported = lib.Import(mine);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            var withService = new FirmwareLibrary(cache, new FirmwareCatalogClient(host.BaseUrl));

            var refresh = await withService.RefreshFromServiceAsync(Timeout);

            Assert.Contains(refresh.Problems, p => p.Contains("apc_hw21_su_2.4.0.1.nmc3") && p.Contains("cached record is kept"));
            Assert.Equal(imported.Sha256, withService.GetCatalog().FindByFileName("apc_hw21_su_2.4.0.1.nmc3")!.Sha256);
            Assert.Equal(2, refresh.Added.Count);
        }

        [Fact]
        public async Task Importing_the_exact_file_the_service_lists_fills_the_cache_without_a_download()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            var lib = new FirmwareLibrary(temp.Sub("cache"), new FirmwareCatalogClient(host.BaseUrl));
            await lib.RefreshFromServiceAsync(Timeout);
            var requests = host.RequestCount;

            var package = lib.Import(Path.Combine(folder, "apc_hw21_rpdu2g_2.7.0.2.nmc3"));

            Assert.True(package.IsCached);
            Assert.Equal(FirmwareSource.CatalogService, package.Source);
            using (await lib.OpenVerifiedAsync(package, Timeout)) { }
            Assert.Equal(requests, host.RequestCount);
        }

        [Fact]
        public async Task Service_serves_only_listed_package_names()
        {
            using var temp = new TempFolder();
            var folder = PublishFolder(temp);
            using var host = FirmwareCatalogHttpHost.Start(new FirmwareCatalogService(folder));
            using var http = new HttpClient();
            Assert.Equal(404, (int)(await http.GetAsync(new Uri(host.BaseUrl, "files/readme.txt"), Timeout)).StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync(new Uri(host.BaseUrl, "files/..%2Fpublished%2Freadme.txt"), Timeout)).StatusCode);
            Assert.Equal(404, (int)(await http.GetAsync(new Uri(host.BaseUrl, "files/apc_hw21_su_9.9.9.9.nmc3"), Timeout)).StatusCode);
            Assert.Equal(200, (int)(await http.GetAsync(new Uri(host.BaseUrl, "files/apc_hw21_su_2.4.0.1.nmc3"), Timeout)).StatusCode);
        }

        [Fact]
        public async Task Index_entries_whose_fields_contradict_their_file_name_are_refused()
        {
            using var temp = new TempFolder();
            var folder = temp.Sub("static");
            // A hand-written index (as a third-party mirror might publish), served by a tiny handler.
            var json = "{\"formatVersion\":1,\"packages\":[" +
                       "{\"fileName\":\"apc_hw21_su_2.5.0.6.nmc3\",\"hardware\":21,\"applicationType\":\"sy\",\"version\":\"2.5.0.6\",\"size\":10,\"sha256\":\"" + new string('a', 64) + "\"}," +
                       "{\"fileName\":\"apc_hw21_su_2.5.0.7.nmc3\",\"hardware\":21,\"applicationType\":\"su\",\"version\":\"2.5.0.7\",\"size\":10,\"sha256\":\"xyz\"}," +
                       "{\"fileName\":\"apc_hw21_su_2.5.0.8.nmc3\",\"hardware\":21,\"applicationType\":\"su\",\"version\":\"2.5.0.8\",\"size\":10,\"sha256\":\"" + new string('b', 64) + "\"}]}";
            using var client = new FirmwareCatalogClient(new Uri("http://127.0.0.1:1/"), handler: new StaticHandler(json));
            var index = await client.GetIndexAsync(Timeout);
            Assert.Equal("apc_hw21_su_2.5.0.8.nmc3", index.Packages.Single().FileName);
            Assert.Equal(2, index.Problems.Count);
            Assert.Contains(index.Problems, p => p.Contains("says application 'sy'"));
            Assert.Contains(index.Problems, p => p.Contains("not a SHA-256"));
        }

        [Fact]
        public async Task An_index_of_another_format_version_is_refused_clearly()
        {
            using var client = new FirmwareCatalogClient(new Uri("http://127.0.0.1:1/"), handler: new StaticHandler("{\"formatVersion\":7,\"packages\":[]}"));
            var ex = await Assert.ThrowsAsync<FirmwareCatalogException>(() => client.GetIndexAsync(Timeout));
            Assert.Contains("format version 7", ex.Message);
        }

        private sealed class StaticHandler : HttpMessageHandler
        {
            private readonly string _body;
            public StaticHandler(string body) => _body = body;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(_body, Encoding.UTF8, "application/json") });
        }
    }
}
