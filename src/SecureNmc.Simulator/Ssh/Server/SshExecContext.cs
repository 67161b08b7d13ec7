using System.IO;
using System.Net;
using System.Threading;

namespace SecureNmc.Simulator.Ssh.Server
{
    /// <summary>
    /// One exec request handed to <see cref="SshServerOptions.ExecHandler"/>: the command line,
    /// the client's data as <see cref="Input"/>, and <see cref="Output"/> / <see cref="Error"/>
    /// back to it. The handler's return value becomes the exit status.
    /// </summary>
    public sealed class SshExecContext
    {
        internal SshExecContext(string command, string userName, EndPoint? remote, Stream input, Stream output, Stream error, CancellationToken aborted)
        {
            Command = command;
            UserName = userName;
            RemoteEndPoint = remote;
            Input = input;
            Output = output;
            Error = error;
            Aborted = aborted;
        }

        public string Command { get; }
        public string UserName { get; }
        public EndPoint? RemoteEndPoint { get; }

        /// <summary>Data the client sends; reads end (0) at the client's EOF.</summary>
        public Stream Input { get; }

        /// <summary>Standard output to the client.</summary>
        public Stream Output { get; }

        /// <summary>Standard error to the client (extended data type 1).</summary>
        public Stream Error { get; }

        /// <summary>Cancelled when the connection drops or the server drops all sessions.</summary>
        public CancellationToken Aborted { get; }
    }
}
