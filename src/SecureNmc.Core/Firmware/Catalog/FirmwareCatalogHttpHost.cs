using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Firmware.Catalog
{
    /// <summary>
    /// Hosts a <see cref="FirmwareCatalogService"/> on HttpListener, bound to 127.0.0.1 only (the
    /// simulator's catalog service and the tests use it). GET index.json and GET files/{name}; every
    /// other request gets 404/405.
    /// </summary>
    public sealed class FirmwareCatalogHttpHost : IDisposable
    {
        private readonly FirmwareCatalogService _service;
        private readonly HttpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _loop;
        private int _requests;

        private FirmwareCatalogHttpHost(FirmwareCatalogService service, HttpListener listener, Uri baseUrl)
        {
            _service = service;
            _listener = listener;
            BaseUrl = baseUrl;
            _loop = Task.Run(AcceptLoopAsync);
        }

        public Uri BaseUrl { get; }

        /// <summary>Requests answered so far (tests use it to prove a cached file is not fetched again).</summary>
        public int RequestCount => Volatile.Read(ref _requests);

        /// <summary>Serves on 127.0.0.1:<paramref name="port"/>; port 0 picks a free one.</summary>
        public static FirmwareCatalogHttpHost Start(FirmwareCatalogService service, int port = 0)
        {
            for (int attempt = 0; ; attempt++)
            {
                var chosen = port != 0 ? port : FreeLoopbackPort();
                var baseUrl = new Uri($"http://127.0.0.1:{chosen}/");
                var listener = new HttpListener();
                listener.Prefixes.Add(baseUrl.AbsoluteUri);
                try
                {
                    listener.Start();
                    return new FirmwareCatalogHttpHost(service, listener, baseUrl);
                }
                catch (HttpListenerException) when (port == 0 && attempt < 5)
                {
                    listener.Close(); // another process took the port between probe and bind: pick again
                }
            }
        }

        private static int FreeLoopbackPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    continue;
                }
                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            Interlocked.Increment(ref _requests);
            var response = context.Response;
            try
            {
                if (context.Request.HttpMethod != "GET")
                {
                    response.StatusCode = 405;
                    return;
                }
                var path = context.Request.Url!.AbsolutePath.TrimStart('/');
                if (path == FirmwareCatalogClient.IndexPath)
                {
                    var json = _service.BuildIndexJson();
                    response.ContentType = "application/json";
                    response.ContentLength64 = json.Length;
                    await response.OutputStream.WriteAsync(json, 0, json.Length).ConfigureAwait(false);
                    return;
                }
                if (path.StartsWith(FirmwareCatalogClient.FilesPath, StringComparison.Ordinal))
                {
                    var name = Uri.UnescapeDataString(path.Substring(FirmwareCatalogClient.FilesPath.Length));
                    if (_service.TryOpenPackage(name, out var content, out var length))
                    {
                        using (content)
                        {
                            response.ContentType = "application/octet-stream";
                            response.ContentLength64 = length;
                            await content!.CopyToAsync(response.OutputStream, 1 << 16).ConfigureAwait(false);
                        }
                        return;
                    }
                }
                response.StatusCode = 404;
            }
            catch (Exception ex) when (ex is IOException || ex is HttpListenerException || ex is ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
            finally
            {
                try { response.Close(); } catch (Exception) { }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
            try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
