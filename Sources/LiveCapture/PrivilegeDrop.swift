#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `-Z user`, as tcpdump: once the capture handles are open, become `user`
/// (supplementary groups = its primary group only, then gid, then uid), so
/// the output file and the command after `--` belong to that user.
public enum PrivilegeDrop {
    public static func switchTo(user: String) throws(LiveCaptureError) {
        guard let pw = getpwnam(user) else { throw .privilegeDrop(user: user, detail: "no such user") }
        let uid = pw.pointee.pw_uid
        var gid = pw.pointee.pw_gid
        guard setgroups(1, &gid) == 0 else { throw .privilegeDrop(user: user, detail: "setgroups: \(errnoText())") }
        guard setgid(gid) == 0 else { throw .privilegeDrop(user: user, detail: "setgid: \(errnoText())") }
        guard setuid(uid) == 0 else { throw .privilegeDrop(user: user, detail: "setuid: \(errnoText())") }
        // A partial drop must not go unnoticed.
        guard getuid() == uid, geteuid() == uid, getgid() == gid, getegid() == gid, uid == 0 || setuid(0) != 0 else {
            throw .privilegeDrop(user: user, detail: "still privileged after setuid")
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
