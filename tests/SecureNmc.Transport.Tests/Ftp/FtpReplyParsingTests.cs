using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>RFC 959 §4.2 reply parsing and RFC 2428 / RFC 959 endpoint syntax.</summary>
    public sealed class FtpReplyParsingTests
    {
        private static Task<FtpReply> Parse(string wire, int maxLines = FtpLimits.MaxReplyLines) =>
            new FtpReplyReader(new FtpLineReader(new MemoryStream(Encoding.UTF8.GetBytes(wire)), FtpLimits.MaxLineLength), maxLines)
                .ReadReplyAsync(CancellationToken.None);

        [Fact]
        public async Task Single_line_reply_is_parsed()
        {
            var reply = await Parse("220 NMC ready\r\n");
            Assert.Equal(220, reply.Code);
            Assert.Equal("NMC ready", reply.Text);
        }

        [Fact]
        public async Task Multi_line_reply_ends_only_at_the_same_code_followed_by_a_space()
        {
            var reply = await Parse("230-Welcome\r\n230-still going\r\n 226 not the end\r\n226 other code is text\r\n230 End\r\n");
            Assert.Equal(230, reply.Code);
            Assert.Equal(new[] { "Welcome", "230-still going", "226 not the end", "226 other code is text", "End" }, reply.Lines);
        }

        [Fact]
        public async Task Bare_LF_and_code_without_text_are_accepted()
        {
            var reply = await Parse("200\n");
            Assert.Equal(200, reply.Code);
            Assert.Equal("", reply.Text);
        }

        [Theory]
        [InlineData("hello\r\n")]
        [InlineData("22 short\r\n")]
        [InlineData("600 bad class\r\n")]
        [InlineData("099 bad class\r\n")]
        [InlineData("2x0 not digits\r\n")]
        [InlineData("220x bad separator\r\n")]
        [InlineData("\r\n")]
        public async Task Lines_that_are_not_replies_are_rejected(string wire)
        {
            await Assert.ThrowsAsync<FtpReplyFormatException>(() => Parse(wire));
        }

        [Fact]
        public async Task Unterminated_multi_line_reply_is_a_closed_connection_not_a_reply()
        {
            await Assert.ThrowsAsync<FtpConnectionClosedException>(() => Parse("230-Welcome\r\nmore\r\n"));
        }

        [Fact]
        public async Task Overlong_line_is_rejected_without_reading_it_all()
        {
            var stream = new MemoryStream(Encoding.ASCII.GetBytes("220 " + new string('A', 1_000_000) + "\r\n"));
            var reader = new FtpReplyReader(new FtpLineReader(stream, FtpLimits.MaxLineLength));
            await Assert.ThrowsAsync<FtpLineException>(() => reader.ReadReplyAsync(CancellationToken.None));
            Assert.True(stream.Position < 16 * 1024, $"read {stream.Position} bytes before giving up");
        }

        [Fact]
        public async Task Multi_line_reply_with_too_many_lines_is_rejected()
        {
            string wire = "211-x\r\n" + string.Concat(Enumerable.Repeat(" line\r\n", 500)) + "211 End\r\n";
            var failure = await Assert.ThrowsAsync<FtpReplyFormatException>(() => Parse(wire, maxLines: 200));
            Assert.Contains("200 lines", failure.Message);
        }

        [Fact]
        public async Task Control_characters_in_reply_text_are_neutralised()
        {
            var reply = await Parse("550 bad\u001b[2Jname\u0000\r\n");
            Assert.Equal("bad?[2Jname?", reply.Text);
        }

        [Theory]
        [InlineData("Entering Passive Mode (127,0,0,1,200,10).", "127.0.0.1", 51210)]
        [InlineData("Entering Passive Mode 10,1,2,3,0,21", "10.1.2.3", 21)]
        [InlineData("=192,168,0,9,4,1", "192.168.0.9", 1025)]
        public void Pasv_replies_are_parsed(string text, string address, int port)
        {
            Assert.True(FtpEndpointSyntax.TryParsePasvReply(text, out IPEndPoint? endPoint));
            Assert.Equal(IPAddress.Parse(address), endPoint!.Address);
            Assert.Equal(port, endPoint.Port);
        }

        [Theory]
        [InlineData("Entering Passive Mode (127,0,0,1,256,10).")]
        [InlineData("Entering Passive Mode (127,0,0,1,0,0).")]
        [InlineData("Entering Passive Mode (127,0,0,200,10).")]
        [InlineData("Entering Passive Mode (127,0,0,1,1000,1).")]
        [InlineData("Entering Passive Mode.")]
        public void Bad_pasv_replies_are_refused(string text)
        {
            Assert.False(FtpEndpointSyntax.TryParsePasvReply(text, out _));
        }

        [Theory]
        [InlineData("Entering Extended Passive Mode (|||6446|)", 6446)]
        [InlineData("ok (!!!65535!)", 65535)]
        public void Epsv_replies_are_parsed(string text, int port)
        {
            Assert.True(FtpEndpointSyntax.TryParseEpsvReply(text, out int parsed));
            Assert.Equal(port, parsed);
        }

        [Theory]
        [InlineData("(|||0|)")]
        [InlineData("(|||65536|)")]
        [InlineData("(|||99999999999|)")]
        [InlineData("(||||)")]
        [InlineData("(|1|127.0.0.1|21|)")]
        [InlineData("(|||12a|)")]
        [InlineData("|||21|")]
        [InlineData("(1112131)")]
        public void Bad_epsv_replies_are_refused(string text)
        {
            Assert.False(FtpEndpointSyntax.TryParseEpsvReply(text, out _));
        }

        [Fact]
        public void Eprt_and_port_arguments_round_trip()
        {
            var v4 = new IPEndPoint(IPAddress.Parse("127.0.0.1"), 40001);
            Assert.True(FtpEndpointSyntax.TryParseEprtArgument(FtpEndpointSyntax.FormatEprtArgument(v4), out var eprt));
            Assert.Equal(v4, eprt);
            Assert.True(FtpEndpointSyntax.TryParsePortArgument(FtpEndpointSyntax.FormatSixNumbers(v4), out var port));
            Assert.Equal(v4, port);
            var v6 = new IPEndPoint(IPAddress.IPv6Loopback, 40002);
            Assert.True(FtpEndpointSyntax.TryParseEprtArgument(FtpEndpointSyntax.FormatEprtArgument(v6), out var eprt6));
            Assert.Equal(v6, eprt6);
            Assert.False(FtpEndpointSyntax.TryParseEprtArgument("|1|::1|21|", out _));
            Assert.False(FtpEndpointSyntax.TryParseEprtArgument("|3|127.0.0.1|21|", out _));
            Assert.False(FtpEndpointSyntax.TryParseEprtArgument("|1|127.0.0.1|0|", out _));
        }

        [Theory]
        [InlineData("Max logins exceeded.", TransferFailureKind.SessionLimitReached)]
        [InlineData("Sorry, too many users are connected", TransferFailureKind.SessionLimitReached)]
        [InlineData("MFA is enabled for this account", TransferFailureKind.MultiFactorRequired)]
        [InlineData("Enter the verification code", TransferFailureKind.MultiFactorRequired)]
        [InlineData("Your password has expired", TransferFailureKind.PasswordChangeRequired)]
        [InlineData("Login incorrect.", TransferFailureKind.BadCredentials)]
        [InlineData("comfatal otpx", TransferFailureKind.BadCredentials)]
        public void Refusal_texts_are_classified(string text, TransferFailureKind expected)
        {
            Assert.Equal(expected, FtpReplyMeaning.ClassifyRefusal(text, TransferFailureKind.BadCredentials));
        }
    }
}
