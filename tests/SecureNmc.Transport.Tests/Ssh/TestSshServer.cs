using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Simulator.Ssh.Scp;
using SecureNmc.Simulator.Ssh.Server;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>Our SSH server on loopback with an in-memory card file system, "about" and SCP.</summary>
    internal sealed class TestSshServer : IDisposable
    {
        public const string User = "apc";
        public const string Password = "card-test-pw";
        private static readonly Lazy<IHostKey[]> Keys = new Lazy<IHostKey[]>(() => new[]
        {
            SshHostKeys.Generate("ssh-ed25519"),
            SshHostKeys.Generate("ecdsa-sha2-nistp256"),
            SshHostKeys.Generate("ecdsa-sha2-nistp384"),
            SshHostKeys.Generate("ecdsa-sha2-nistp521"),
            SshHostKeys.Generate("ssh-rsa", 3072),
        });

        public static IReadOnlyList<IHostKey> HostKeys => Keys.Value;

        public ConcurrentDictionary<string, byte[]> Files { get; } = new ConcurrentDictionary<string, byte[]>();
        public SshServer Server { get; }
        public SshServerOptions Options { get; }
        public int Port => Server.LocalEndPoint.Port;
        public List<string> Commands { get; } = new List<string>();

        /// <summary>Files whose names start with this are refused with "Permission denied".</summary>
        public string DeniedPrefix { get; set; } = "denied";

        public TestSshServer(Action<SshServerOptions>? configure = null)
        {
            var scp = new ScpServerHandler
            {
                ReadFile = (name, _) => Task.FromResult(Files.TryGetValue(name, out var data) ? data : null),
                WriteFile = (name, data, _) =>
                {
                    if (name.StartsWith(DeniedPrefix, StringComparison.Ordinal)) throw new UnauthorizedAccessException();
                    Files[name] = data;
                    return Task.CompletedTask;
                },
            };
            Options = new SshServerOptions
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                HostKeys = HostKeys,
                PasswordCheck = c => Task.FromResult(c.UserName == User && c.Password == Password ? SshPasswordCheckResult.Accept() : SshPasswordCheckResult.Reject()),
                ExecHandler = async context =>
                {
                    lock (Commands) Commands.Add(context.Command);
                    if (ScpCommand.TryParse(context.Command, out var command)) return await scp.RunAsync(context, command);
                    if (context.Command == "about")
                    {
                        var text = Encoding.ASCII.GetBytes("E000: Success\r\nModel Number:\tAP9641\r\nName:\taos\r\nVersion:\tv2.5.0.8\r\n");
                        await context.Output.WriteAsync(text, 0, text.Length, context.Aborted);
                        return 0;
                    }
                    var error = Encoding.ASCII.GetBytes("E101: Command Not Found\r\n");
                    await context.Error.WriteAsync(error, 0, error.Length, context.Aborted);
                    return 127;
                },
            };
            configure?.Invoke(Options);
            Server = new SshServer(Options);
            Server.Start();
        }

        public ConnectionOptions ClientOptions(string? password = null, string? knownHosts = null) => new ConnectionOptions
        {
            Host = "127.0.0.1",
            Port = Port,
            Credential = new NetworkCredential(User, password ?? Password),
            ConnectTimeout = TimeSpan.FromSeconds(20),
            OperationTimeout = TimeSpan.FromSeconds(20),
            Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
        };

        public void Dispose() => Server.Dispose();
    }
}
