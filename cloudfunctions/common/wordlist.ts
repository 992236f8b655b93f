// Local development word list for the content check. Production uses WeChat's msgSecCheck.
// Lower-case; matched as substrings.
export const BLOCKED_WORDS: readonly string[] = ['赌博', '博彩', '代开发票', '枪支', '毒品', '办证', '裸聊', '违禁词'];
